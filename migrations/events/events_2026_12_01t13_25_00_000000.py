"""Calendars: every change to what an event's calendar items say (the event, its occurrences, its
programme, its organization's name) marks the event for the calendar publisher, in the same
transaction and whichever code made it; and every event there is now is marked once, so that
the first publishing writes its fragments."""

from year2026.raw_migrations import sql_migration

ID = "2026-12-01T13:25:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "calendars: event changes mark their calendars"

#: (table, the column naming the event) of what an event's calendar items are written from
EVENT_TABLES = [
    ("event", "id"),
    ("event_occurrence", "event"),
    ("event_session", "event"),
    ("event_session_speaker", "event"),
    ("event_speaker", "event"),
    ("event_room", "event"),
    ("event_track", "event"),
]


def _marking(table: str, column: str) -> list[str]:
    """A trigger function for `table` (one a table: a function cannot be handed a column name
    without dynamic SQL) and its three statement triggers (a transition table serves one action)."""
    function = f"calendar_mark_changed_{table}"
    statements = [
        f"CREATE FUNCTION {function}() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN"  # noqa: S608
        f" PERFORM calendar_mark_owners(ARRAY(SELECT {column} FROM changed_rows));"
        " RETURN NULL; END $$"
    ]
    for action, transition in (("insert", "NEW"), ("update", "NEW"), ("delete", "OLD")):
        statements.append(
            f"CREATE TRIGGER {table}_marks_calendar_on_{action} AFTER {action.upper()} ON {table}"
            f" REFERENCING {transition} TABLE AS changed_rows FOR EACH STATEMENT"
            f" EXECUTE FUNCTION {function}()"
        )
    return statements


STATEMENTS = [
    *[statement for table, column in EVENT_TABLES for statement in _marking(table, column)],
    "CREATE FUNCTION calendar_mark_changed_organization() RETURNS trigger LANGUAGE plpgsql"
    " AS $$ BEGIN PERFORM calendar_mark_owners(ARRAY(SELECT e.id FROM event e"
    " JOIN changed_rows o ON o.id = e.organization)); RETURN NULL; END $$",
    "CREATE TRIGGER organization_marks_calendar_on_update AFTER UPDATE ON organization"
    " REFERENCING NEW TABLE AS changed_rows FOR EACH STATEMENT"
    " EXECUTE FUNCTION calendar_mark_changed_organization()",
    "SELECT calendar_mark_owners(ARRAY(SELECT id FROM event))",
]
UNDO = [
    "DROP TRIGGER IF EXISTS organization_marks_calendar_on_update ON organization",
    "DROP FUNCTION IF EXISTS calendar_mark_changed_organization()",
    *[
        statement
        for table, _ in EVENT_TABLES
        for statement in (
            *[
                f"DROP TRIGGER IF EXISTS {table}_marks_calendar_on_{action} ON {table}"
                for action in ("insert", "update", "delete")
            ],
            f"DROP FUNCTION IF EXISTS calendar_mark_changed_{table}()",
        )
    ],
]

forwards = sql_migration(ID, "events", DESCRIPTION, STATEMENTS, UNDO)
