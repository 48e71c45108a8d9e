from pathlib import Path

from piccolo.conf.apps import AppConfig

from events.programme_tables import PROGRAMME_TABLES
from events.registration_tables import REGISTRATION_TABLES
from events.tables import ALL_TABLES

APP_CONFIG = AppConfig(
    app_name="events",
    migrations_folder_path=str(Path(__file__).resolve().parent.parent / "migrations" / "events"),
    table_classes=[*ALL_TABLES, *PROGRAMME_TABLES, *REGISTRATION_TABLES],
    migration_dependencies=["year2026.piccolo_app"],
    commands=[],
)
