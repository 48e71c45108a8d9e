"""year2026: the platform of Kazakhstan's Year of Digitalization and Artificial Intelligence."""

import os
import zoneinfo

# Piccolo finds its engine and apps through this module path; the CLI, the app and the worker all
# import this package first, so every entry point agrees on it.
os.environ.setdefault("PICCOLO_CONF", "year2026.piccolo_conf")

# Time zones come from the pinned `tzdata` package only. zoneinfo looks in the system's folders
# first (TZPATH: /usr/share/zoneinfo…, or PYTHONTZPATH) and falls back to the package only for a
# zone it does not find there, so an old system file would win: one that predates Kazakhstan's move
# to UTC+5 (2024-03-01) shifts every Asia/Almaty event by an hour. An empty search path leaves the
# package alone. Done here, before anything of ours builds a ZoneInfo (they are cached by name).
zoneinfo.reset_tzpath(to=[])
