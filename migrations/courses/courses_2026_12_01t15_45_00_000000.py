"""Calendars: every change to what a course class's calendar item says (the class, its cohort,
the course, the provider's name) marks the cohort for the calendar publisher, in the same
transaction and whichever code made it (the private feeds of the cohort's learners depend on it)."""

from year2026.raw_migrations import sql_migration

ID = "2026-12-01T15:45:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "calendars: course class changes mark their cohorts"

#: (table, the SQL naming the cohorts a changed row's items belong to, over `changed_rows`,
#: the changes that matter: a cohort and a course are marked when changed, and a new cohort has
#: no classes yet; a deleted one took its classes along)
MARKED = [
    ("course_class", "SELECT cohort FROM changed_rows", ("insert", "update", "delete")),
    ("course_cohort", "SELECT id FROM changed_rows", ("update",)),
    (
        "course",
        "SELECT h.id FROM course_cohort h JOIN changed_rows c ON c.id = h.course",
        ("update",),
    ),
]


def _marking(table: str, cohorts: str, actions: tuple[str, ...]) -> list[str]:
    function = f"calendar_mark_changed_{table}"
    statements = [
        f"CREATE FUNCTION {function}() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN"
        f" PERFORM calendar_mark_owners(ARRAY({cohorts})); RETURN NULL; END $$"
    ]
    for action in actions:
        transition = "OLD" if action == "delete" else "NEW"
        statements.append(
            f"CREATE TRIGGER {table}_marks_calendar_on_{action} AFTER {action.upper()} ON {table}"
            f" REFERENCING {transition} TABLE AS changed_rows FOR EACH STATEMENT"
            f" EXECUTE FUNCTION {function}()"
        )
    return statements


STATEMENTS = [
    *[statement for marked in MARKED for statement in _marking(*marked)],
    "CREATE FUNCTION calendar_mark_changed_provider() RETURNS trigger LANGUAGE plpgsql"
    " AS $$ BEGIN PERFORM calendar_mark_owners(ARRAY(SELECT h.id FROM course_cohort h"
    " JOIN course c ON c.id = h.course JOIN changed_rows o ON o.id = c.organization));"
    " RETURN NULL; END $$",
    "CREATE TRIGGER organization_marks_course_calendars_on_update AFTER UPDATE ON organization"
    " REFERENCING NEW TABLE AS changed_rows FOR EACH STATEMENT"
    " EXECUTE FUNCTION calendar_mark_changed_provider()",
]
UNDO = [
    "DROP TRIGGER IF EXISTS organization_marks_course_calendars_on_update ON organization",
    "DROP FUNCTION IF EXISTS calendar_mark_changed_provider()",
    "DROP TRIGGER IF EXISTS course_class_marks_calendar_on_insert ON course_class",
    "DROP TRIGGER IF EXISTS course_class_marks_calendar_on_update ON course_class",
    "DROP TRIGGER IF EXISTS course_class_marks_calendar_on_delete ON course_class",
    "DROP FUNCTION IF EXISTS calendar_mark_changed_course_class()",
    "DROP TRIGGER IF EXISTS course_cohort_marks_calendar_on_update ON course_cohort",
    "DROP FUNCTION IF EXISTS calendar_mark_changed_course_cohort()",
    "DROP TRIGGER IF EXISTS course_marks_calendar_on_update ON course",
    "DROP FUNCTION IF EXISTS calendar_mark_changed_course()",
]

forwards = sql_migration(ID, "courses", DESCRIPTION, STATEMENTS, UNDO)
