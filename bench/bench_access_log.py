"""The access line's cost, one a request: written straight to the log stream in JSON (as the API
writes it) next to the same line through structlog's processors and logging's handler chain
(the baseline: how every other line is written), measured in the same run.

    .venv/bin/python bench/bench_access_log.py [--lines 50000]

Both write to /dev/null, inside a request id's bound context as a request does.
"""

from __future__ import annotations

import argparse
import os
import sys
import time

import msgspec
import structlog

from year2026 import observability
from year2026.settings import load_settings


def per_line(lines: int) -> float:
    """Microseconds a line, as the access logging is configured now."""
    started = time.perf_counter()
    for _ in range(lines):
        with structlog.contextvars.bound_contextvars(request_id="bench-request"):
            observability._log_access("bench-request", "GET", "/feeds/events.ics", 304, 0.12)
    return (time.perf_counter() - started) / lines * 1e6


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lines", type=int, default=50_000)
    arguments = parser.parse_args()
    out = sys.stdout
    sys.stderr = open(os.devnull, "w")  # noqa: SIM115 - the log's stream for the whole run
    settings = msgspec.structs.replace(load_settings({}), log_format="json", log_level="info")
    observability.configure_logging(settings)
    straight = per_line(arguments.lines)
    observability._access_lines.handler = None
    through = per_line(arguments.lines)
    print(
        f"access line, {arguments.lines} lines: straight {straight:.1f} µs a line,"
        f" through structlog and logging {through:.1f} µs a line"
        f" ({straight / through:.0%} of the baseline)",
        file=out,
    )


if __name__ == "__main__":
    main()
