"""Indexes for the keyset orders of the two listings (`year2026.paging`): a page is then an index
range scan, however deep into the listing the cursor points."""

from year2026.raw_migrations import sql_migration

ID = "2026-12-01T09:12:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "indexes for the organization and member listings' keyset orders"

STATEMENTS = [
    "CREATE INDEX organization_name_en_id_idx ON organization (name_en, id)",
    "CREATE INDEX membership_organization_added_at_person_idx"
    " ON membership (organization, added_at, person)",
]

UNDO = [
    "DROP INDEX IF EXISTS organization_name_en_id_idx",
    "DROP INDEX IF EXISTS membership_organization_added_at_person_idx",
]

forwards = sql_migration(ID, "year2026", DESCRIPTION, STATEMENTS, UNDO)
