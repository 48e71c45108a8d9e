from pathlib import Path

from piccolo.conf.apps import AppConfig

from year2026.audit_tables import AUDIT_TABLES
from year2026.calendar.tables import CALENDAR_TABLES
from year2026.people.tables import ALL_TABLES
from year2026.seats_tables import SEAT_TABLES

REPO_ROOT = Path(__file__).resolve().parent.parent

APP_CONFIG = AppConfig(
    app_name="year2026",
    migrations_folder_path=str(REPO_ROOT / "migrations" / "year2026"),
    table_classes=[*ALL_TABLES, *AUDIT_TABLES, *SEAT_TABLES, *CALENDAR_TABLES],
    migration_dependencies=[],
    commands=[],
)
