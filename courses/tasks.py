"""The courses' worker jobs: thin, idempotent, each calling one service."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from courses import completion


async def recompute_course_completions(ctx: Mapping[str, Any]) -> int:
    """Every minute: the open enrolments of courses whose completion rule was corrected are
    decided again (idempotent: completion is one conditional statement, and a course is marked
    gone through only up to the rule version read first). Returns how many completed."""
    return await completion.recompute_completions(dt.datetime.now(dt.UTC))
