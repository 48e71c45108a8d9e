"""Piccolo's configuration module (found through `PICCOLO_CONF=year2026.piccolo_conf`).

The engine is built from the one settings object. Piccolo's engine asks the server for its version
when it is built, so this module is imported only once the database is up.
"""

from piccolo.conf.apps import AppRegistry

from year2026.db import build_engine
from year2026.settings import get_settings

DB = build_engine(get_settings())

APP_REGISTRY = AppRegistry(
    apps=["year2026.piccolo_app", "events.piccolo_app", "courses.piccolo_app"],
)
