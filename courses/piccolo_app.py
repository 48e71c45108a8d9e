from pathlib import Path

from piccolo.conf.apps import AppConfig

from courses.tables import ALL_TABLES

APP_CONFIG = AppConfig(
    app_name="courses",
    migrations_folder_path=str(Path(__file__).resolve().parent.parent / "migrations" / "courses"),
    table_classes=ALL_TABLES,
    migration_dependencies=["year2026.piccolo_app"],
    commands=[],
)
