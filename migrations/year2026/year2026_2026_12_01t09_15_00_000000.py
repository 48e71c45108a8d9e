"""The audit log is append-only in the database itself, and its admin listing is index-backed.

A statement-level trigger refuses every UPDATE and DELETE of `audit_entry` (even one that would
touch no row), so no code path, ours or a console's, can rewrite history. TRUNCATE is left alone:
the test harness empties every table between tests with it, and only the table's owner may run
it. The indexes end in the listing's keyset order (occurred_at, id), so a filtered page is an
index range scan read backwards (newest first).
"""

from year2026.raw_migrations import sql_migration

ID = "2026-12-01T09:15:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "audit_entry: append-only trigger, clock_timestamp(), shape checks, filter indexes"

STATEMENTS = [
    # one transaction's entries keep their order: the statement's clock, not the transaction's
    "ALTER TABLE audit_entry ALTER COLUMN occurred_at SET DEFAULT clock_timestamp()",
    "ALTER TABLE audit_entry ADD CONSTRAINT audit_entry_before_is_object"
    " CHECK (before IS NULL OR jsonb_typeof(before) = 'object')",
    "ALTER TABLE audit_entry ADD CONSTRAINT audit_entry_after_is_object"
    " CHECK (after IS NULL OR jsonb_typeof(after) = 'object')",
    "ALTER TABLE audit_entry ADD CONSTRAINT audit_entry_before_or_after"
    " CHECK (before IS NOT NULL OR after IS NOT NULL)",
    "CREATE INDEX audit_entry_occurred_at_id_idx ON audit_entry (occurred_at, id)",
    "CREATE INDEX audit_entry_object_idx ON audit_entry (object_type, object_id, occurred_at, id)",
    "CREATE INDEX audit_entry_actor_idx ON audit_entry (actor, occurred_at, id)",
    "CREATE INDEX audit_entry_action_idx ON audit_entry (action, occurred_at, id)",
    """CREATE FUNCTION audit_entry_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'audit_entry is append-only: % is refused', TG_OP
        USING ERRCODE = 'insufficient_privilege',
              HINT = 'Record a new entry (year2026.audit.record_change) instead.';
END
$$""",
    "CREATE TRIGGER audit_entry_append_only BEFORE UPDATE OR DELETE ON audit_entry"
    " FOR EACH STATEMENT EXECUTE FUNCTION audit_entry_refuse_change()",
]

UNDO = [
    "DROP TRIGGER IF EXISTS audit_entry_append_only ON audit_entry",
    "DROP FUNCTION IF EXISTS audit_entry_refuse_change()",
    "DROP INDEX IF EXISTS audit_entry_occurred_at_id_idx",
    "DROP INDEX IF EXISTS audit_entry_object_idx",
    "DROP INDEX IF EXISTS audit_entry_actor_idx",
    "DROP INDEX IF EXISTS audit_entry_action_idx",
    "ALTER TABLE audit_entry DROP CONSTRAINT IF EXISTS audit_entry_before_is_object",
    "ALTER TABLE audit_entry DROP CONSTRAINT IF EXISTS audit_entry_after_is_object",
    "ALTER TABLE audit_entry DROP CONSTRAINT IF EXISTS audit_entry_before_or_after",
    "ALTER TABLE audit_entry ALTER COLUMN occurred_at SET DEFAULT current_timestamp",
]

forwards = sql_migration(ID, "year2026", DESCRIPTION, STATEMENTS, UNDO)
