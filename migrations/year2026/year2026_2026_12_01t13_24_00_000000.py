"""Calendars: a fragment once per (owner, part, language); the change marks, written by
`calendar_mark_owners` and `calendar_mark_people` in the changing transaction; and a change of a
seat claim, or of the person, marking their private feed (only for people who have one)."""

from year2026.raw_migrations import sql_migration

ID = "2026-12-01T13:24:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "calendars: unique fragments, change marks, seat claims mark private feeds"


def _marking(table: str, key: str) -> str:
    # each mark gets a new version, so that the publisher deletes only a mark it has seen; the
    # owners are marked in their order, so two transactions marking the same ones never deadlock
    return (
        f"INSERT INTO {table} ({key}, version, marked_at)"  # noqa: S608 - fixed names
        f" SELECT k, nextval('calendar_change_version'), now()"
        f" FROM (SELECT DISTINCT k FROM unnest(keys) AS k WHERE k IS NOT NULL ORDER BY k) d"
        f" ON CONFLICT ({key}) DO UPDATE SET version = EXCLUDED.version,"
        f" marked_at = EXCLUDED.marked_at"
    )


STATEMENTS = [
    "CREATE UNIQUE INDEX calendar_fragment_once ON calendar_fragment (owner, part, language)",
    "CREATE SEQUENCE calendar_change_version",
    "CREATE FUNCTION calendar_mark_owners(keys uuid[]) RETURNS void LANGUAGE sql AS $$"
    f" {_marking('calendar_stale_owner', 'owner')} $$",
    "CREATE FUNCTION calendar_mark_people(keys uuid[]) RETURNS void LANGUAGE sql AS $$"
    f" {_marking('calendar_stale_person', 'person')} $$",
    # a claim's person, if they have a private feed: one index probe for everyone else
    "CREATE FUNCTION calendar_mark_claim_people() RETURNS trigger LANGUAGE plpgsql AS $$"
    " BEGIN PERFORM calendar_mark_people(ARRAY(SELECT DISTINCT c.person FROM changed_claims c"
    " JOIN calendar_feed f ON f.person = c.person)); RETURN NULL; END $$",
    "CREATE TRIGGER seat_claim_marks_calendar_on_insert AFTER INSERT ON seat_claim"
    " REFERENCING NEW TABLE AS changed_claims FOR EACH STATEMENT"
    " EXECUTE FUNCTION calendar_mark_claim_people()",
    "CREATE TRIGGER seat_claim_marks_calendar_on_update AFTER UPDATE ON seat_claim"
    " REFERENCING NEW TABLE AS changed_claims FOR EACH STATEMENT"
    " EXECUTE FUNCTION calendar_mark_claim_people()",
    # a person's own change (their language names the private feed's default texts)
    "CREATE FUNCTION calendar_mark_changed_people() RETURNS trigger LANGUAGE plpgsql AS $$"
    " BEGIN PERFORM calendar_mark_people(ARRAY(SELECT c.id FROM changed_people c"
    " JOIN calendar_feed f ON f.person = c.id)); RETURN NULL; END $$",
    "CREATE TRIGGER person_marks_calendar_on_update AFTER UPDATE ON person"
    " REFERENCING NEW TABLE AS changed_people FOR EACH STATEMENT"
    " EXECUTE FUNCTION calendar_mark_changed_people()",
]
UNDO = [
    "DROP TRIGGER IF EXISTS person_marks_calendar_on_update ON person",
    "DROP FUNCTION IF EXISTS calendar_mark_changed_people()",
    "DROP TRIGGER IF EXISTS seat_claim_marks_calendar_on_update ON seat_claim",
    "DROP TRIGGER IF EXISTS seat_claim_marks_calendar_on_insert ON seat_claim",
    "DROP FUNCTION IF EXISTS calendar_mark_claim_people()",
    "DROP FUNCTION IF EXISTS calendar_mark_people(uuid[])",
    "DROP FUNCTION IF EXISTS calendar_mark_owners(uuid[])",
    "DROP SEQUENCE IF EXISTS calendar_change_version",
    "DROP INDEX IF EXISTS calendar_fragment_once",
]

forwards = sql_migration(ID, "year2026", DESCRIPTION, STATEMENTS, UNDO)
