from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.columns.column_types import Integer
from piccolo.columns.indexes import IndexMethod

ID = "2026-12-01T08:44:00:542575"
VERSION = "1.38.0"
DESCRIPTION = "person.token_generation: sign-out everywhere survives a Redis crash"


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="year2026", description=DESCRIPTION)

    manager.add_column(
        table_class_name="Person",
        tablename="person",
        column_name="token_generation",
        db_column_name="token_generation",
        column_class_name="Integer",
        column_class=Integer,
        params={
            "default": 0,
            "null": False,
            "primary_key": False,
            "unique": False,
            "index": False,
            "index_method": IndexMethod.btree,
            "choices": None,
            "db_column_name": None,
            "secret": False,
        },
        schema=None,
    )

    return manager
