"""What Piccolo's columns cannot say about seat pools and claims: counters that never go negative
or past the capacity (so no bug can overbook, whatever the code does), one active claim per
person and pool, waitlist positions unique in their pool, and the indexes promotion, offer expiry
and a person's own listing read."""

from year2026.raw_migrations import sql_migration

ID = "2026-12-01T11:20:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "seat pools and claims: counter checks, one active claim, waitlist indexes"

ACTIVE = "status IN ('confirmed', 'waitlisted', 'offered')"

STATEMENTS = [
    "ALTER TABLE seat_pool ADD CONSTRAINT seat_pool_capacity_positive"
    " CHECK (capacity IS NULL OR capacity >= 1)",
    "ALTER TABLE seat_pool ADD CONSTRAINT seat_pool_counters_not_negative"
    " CHECK (taken >= 0 AND waitlisted >= 0 AND last_position >= 0)",
    "ALTER TABLE seat_pool ADD CONSTRAINT seat_pool_never_overbooked"
    " CHECK (capacity IS NULL OR taken <= capacity)",
    "ALTER TABLE seat_pool ADD CONSTRAINT seat_pool_offer_minutes_positive"
    " CHECK (offer_minutes IS NULL OR offer_minutes >= 1)",
    "ALTER TABLE seat_claim ADD CONSTRAINT seat_claim_status_known"
    f" CHECK ({ACTIVE} OR status = 'cancelled')",
    "ALTER TABLE seat_claim ADD CONSTRAINT seat_claim_offer_has_deadline"
    " CHECK ((status = 'offered') = (offer_expires_at IS NOT NULL))",
    "ALTER TABLE seat_claim ADD CONSTRAINT seat_claim_waiting_has_position"
    " CHECK (status <> 'waitlisted' OR position IS NOT NULL)",
    f"CREATE UNIQUE INDEX seat_claim_one_active ON seat_claim (pool, person) WHERE {ACTIVE}",
    "CREATE UNIQUE INDEX seat_claim_position_once ON seat_claim (pool, position)"
    " WHERE position IS NOT NULL",
    "CREATE INDEX seat_claim_waitlist_idx ON seat_claim (pool, position)"
    " WHERE status = 'waitlisted'",
    "CREATE INDEX seat_claim_offers_idx ON seat_claim (offer_expires_at) WHERE status = 'offered'",
    "CREATE INDEX seat_claim_person_idx ON seat_claim (person)",
]
UNDO = [
    "DROP INDEX IF EXISTS seat_claim_person_idx",
    "DROP INDEX IF EXISTS seat_claim_offers_idx",
    "DROP INDEX IF EXISTS seat_claim_waitlist_idx",
    "DROP INDEX IF EXISTS seat_claim_position_once",
    "DROP INDEX IF EXISTS seat_claim_one_active",
    "ALTER TABLE seat_claim DROP CONSTRAINT IF EXISTS seat_claim_waiting_has_position",
    "ALTER TABLE seat_claim DROP CONSTRAINT IF EXISTS seat_claim_offer_has_deadline",
    "ALTER TABLE seat_claim DROP CONSTRAINT IF EXISTS seat_claim_status_known",
    "ALTER TABLE seat_pool DROP CONSTRAINT IF EXISTS seat_pool_offer_minutes_positive",
    "ALTER TABLE seat_pool DROP CONSTRAINT IF EXISTS seat_pool_never_overbooked",
    "ALTER TABLE seat_pool DROP CONSTRAINT IF EXISTS seat_pool_counters_not_negative",
    "ALTER TABLE seat_pool DROP CONSTRAINT IF EXISTS seat_pool_capacity_positive",
]

forwards = sql_migration(ID, "year2026", DESCRIPTION, STATEMENTS, UNDO)
