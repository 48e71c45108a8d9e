"""Piccolo's configuration module (found through `PICCOLO_CONF=year2026.piccolo_conf`).

`DB` is the process-wide engine of `year2026.db`; whoever runs code against the database names
its settings first (`configure_engine(settings)`), so this module reads no environment itself.
"""

from piccolo.conf.apps import AppRegistry

from year2026.db import ENGINE

DB = ENGINE

APP_REGISTRY = AppRegistry(
    apps=["year2026.piccolo_app", "events.piccolo_app", "courses.piccolo_app"],
)
