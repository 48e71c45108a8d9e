"""Indexes for the keyset orders of the two listings (`year2026.paging`): a page is then an index
range scan, however deep into the listing the cursor points."""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.engine import engine_finder

ID = "2026-12-01T09:12:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "indexes for the organization and member listings' keyset orders"

STATEMENTS = [
    "CREATE INDEX organization_name_en_id_idx ON organization (name_en, id)",
    "CREATE INDEX membership_organization_added_at_person_idx"
    " ON membership (organization, added_at, person)",
]


async def forwards() -> MigrationManager:
    manager = MigrationManager(migration_id=ID, app_name="year2026", description=DESCRIPTION)

    async def run() -> None:
        engine = engine_finder()
        assert engine is not None
        for statement in STATEMENTS:
            await engine.run_ddl(statement)  # joins the migration's transaction

    async def undo() -> None:
        engine = engine_finder()
        assert engine is not None
        await engine.run_ddl("DROP INDEX IF EXISTS organization_name_en_id_idx")
        await engine.run_ddl("DROP INDEX IF EXISTS membership_organization_added_at_person_idx")

    manager.add_raw(run)
    manager.add_raw_backwards(undo)
    return manager
