"""year2026: the platform of Kazakhstan's Year of Digitalization and Artificial Intelligence."""

import os

# Piccolo finds its engine and apps through this module path; the CLI, the app and the worker all
# import this package first, so every entry point agrees on it.
os.environ.setdefault("PICCOLO_CONF", "year2026.piccolo_conf")
