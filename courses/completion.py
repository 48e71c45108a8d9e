"""Completion, decided at once: in the transaction of every progress step (a lesson done, a test
submitted, an instructor's record), right after the step's write, and again by the worker when a
provider corrects a course's completion rule.

The rule: every required lesson of the course done (`course_lesson_progress.done_at`), and where
the course has a final test, its best score at or above its pass mark; on a confirmed enrolment
that has not ended. A test counts as done when its best score reaches its pass mark as it is now
(not when it was passed under an earlier mark), so that a corrected pass mark is the rule at once.

Exactly once, even when two completing steps land together:
- each step first locks its enrolment's row (`locked_enrolment`, FOR NO KEY UPDATE: it orders the
  steps of one enrolment like FOR UPDATE does, without holding up the key-share locks that other
  rows' foreign keys take on it, such as an attendance sheet being written), so the second step's
  statements run after the first has committed and see its write. Without the lock, each of two
  "last" steps would decide on a snapshot without the other's write and neither would complete
  (`tests/courses/test_completion.py` plays that interleaving);
- completion is one conditional UPDATE that holds the rule (`… AND completed_at IS NULL …
  RETURNING`): only the statement that gets the row back calls `on_completed`. A completed
  enrolment is never un-completed, whatever the rule becomes.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Mapping, Sequence
from typing import Any

from courses.progress_errors import EnrolmentEnded, EnrolmentWaitlisted
from courses.tables import Course, Enrolment
from year2026 import audit
from year2026.db import get_engine
from year2026.seats_enums import ClaimStatus

#: enrolments the recompute job decides in one transaction
RECOMPUTE_BATCH = 500

_LOCK_SQL = (
    "SELECT e.id, e.course, e.cohort, e.person, e.created_at, e.ended_at, e.first_progress_at,"
    " e.completed_at, e.completed_rule_version, c.status AS claim_status"
    " FROM course_enrolment e JOIN seat_claim c ON c.id = e.id"
    " WHERE e.id = {} FOR NO KEY UPDATE OF e"
)

#: the completion rule and its decision in one statement: the enrolments of `ids` that meet the
#: rule are completed under their course's current rule version, and come back
COMPLETE_SQL = (
    "UPDATE course_enrolment e SET completed_at = {}, completed_rule_version = co.rule_version"
    " FROM course co"
    " WHERE e.id = ANY({}::uuid[]) AND co.id = e.course"
    " AND e.completed_at IS NULL AND e.ended_at IS NULL"
    " AND EXISTS (SELECT 1 FROM seat_claim c WHERE c.id = e.id AND c.status = 'confirmed')"
    " AND NOT EXISTS (SELECT 1 FROM course_lesson l"
    "  LEFT JOIN course_lesson_progress p ON p.lesson = l.id AND p.enrolment = e.id"
    "  WHERE l.course = e.course AND CASE WHEN l.kind = 'test'"
    "  THEN (l.required OR l.final) AND coalesce(p.best_score, -1) < l.pass_mark"
    "  ELSE l.required AND p.done_at IS NULL END)"
    " RETURNING e.id, e.course, e.cohort, e.person, e.completed_at, e.completed_rule_version"
)


async def locked_enrolment(enrolment_id: uuid.UUID) -> dict[str, Any] | None:
    """The enrolment with its claim's status, its row locked for the rest of the transaction:
    the first statement of every progress step."""
    rows = await Enrolment.raw(_LOCK_SQL, enrolment_id)
    return dict(rows[0]) if rows else None


def require_progressing(enrolment: Mapping[str, Any]) -> None:
    """Refuse a step on an enrolment that holds no seat: ended, or still waitlisted."""
    if enrolment["ended_at"] is not None or enrolment["claim_status"] == ClaimStatus.CANCELLED:
        raise EnrolmentEnded
    if enrolment["claim_status"] != ClaimStatus.CONFIRMED:
        raise EnrolmentWaitlisted


async def after_step(
    enrolment: Mapping[str, Any], now: dt.datetime, actor_id: uuid.UUID | None
) -> dt.datetime | None:
    """What follows every step's write, in its transaction (the enrolment locked by
    `locked_enrolment`): the first step marks the enrolment active, and completion is decided.
    Returns when the enrolment was completed (now, or before), or None."""
    if enrolment["first_progress_at"] is None:
        await Enrolment.raw(
            "UPDATE course_enrolment SET first_progress_at = {}"
            " WHERE id = {} AND first_progress_at IS NULL",
            now,
            enrolment["id"],
        )
    if enrolment["completed_at"] is not None:
        completed_at: dt.datetime = enrolment["completed_at"]
        return completed_at
    completed = await decide_completion(enrolment["id"], now, actor_id)
    return None if completed is None else completed["completed_at"]


async def decide_completion(
    enrolment_id: uuid.UUID, now: dt.datetime, actor_id: uuid.UUID | None = None
) -> dict[str, Any] | None:
    """Complete the enrolment if it meets its course's rule now and is not completed yet, in the
    caller's transaction (which holds the enrolment's row); the completed row, or None."""
    completed = await _complete([enrolment_id], now, actor_id)
    return completed[0] if completed else None


async def _complete(
    enrolment_ids: Sequence[uuid.UUID], now: dt.datetime, actor_id: uuid.UUID | None
) -> list[dict[str, Any]]:
    rows = [dict(row) for row in await Enrolment.raw(COMPLETE_SQL, now, list(enrolment_ids))]
    for row in rows:
        await on_completed(row, now, actor_id)
    return rows


async def on_completed(
    enrolment_row: Mapping[str, Any], now: dt.datetime, actor_id: uuid.UUID | None = None
) -> None:
    """What completing a course sets off, called exactly once per enrolment, in the transaction
    that completed it (`enrolment_row`: its id, course, cohort, person, completed_at and
    completed_rule_version). Today: the audit entry `course_enrolment.complete`. The
    certificates issue issues the learner's certificate here (through the outbox, so that nothing
    is sent before the completion commits)."""
    await audit.record_change(
        actor_id=actor_id,
        action="course_enrolment.complete",
        object_type="course_enrolment",
        object_id=enrolment_row["id"],
        before={"completed_at": None, "completed_rule_version": None},
        after={
            "completed_at": enrolment_row["completed_at"],
            "completed_rule_version": enrolment_row["completed_rule_version"],
        },
    )


# --- the rule corrected -----------------------------------------------------------------------


async def recompute_completions(now: dt.datetime, batch_size: int = RECOMPUTE_BATCH) -> int:
    """Decide completion again for the open enrolments of every course whose completion rule
    changed since it was last gone through (`recomputed_rule_version < rule_version`); returns
    how many were completed. Idempotent, also in two workers at once: completion is the one
    conditional statement, and a course is marked gone through only up to the version read
    before its enrolments were, so a correction made meanwhile is gone through again."""
    courses = await Course.raw(
        "SELECT id, rule_version FROM course WHERE recomputed_rule_version < rule_version"
        " ORDER BY id"
    )
    completed = 0
    for course in courses:
        completed += await _recompute_course(course["id"], now, batch_size)
        await Course.raw(
            "UPDATE course SET recomputed_rule_version = {}"
            " WHERE id = {} AND recomputed_rule_version < {}",
            course["rule_version"],
            course["id"],
            course["rule_version"],
        )
    return completed


async def _recompute_course(course_id: uuid.UUID, now: dt.datetime, batch_size: int) -> int:
    """The course's open enrolments, a batch per short transaction in id order (their rows
    locked, as a step locks them, so that a learner's step in flight is waited for, not
    skipped: it may have decided under the old rule)."""
    completed, after = 0, uuid.UUID(int=0)
    while True:
        async with get_engine().transaction():
            rows = await Enrolment.raw(
                "SELECT e.id FROM course_enrolment e JOIN seat_claim c ON c.id = e.id"
                " WHERE e.course = {} AND e.completed_at IS NULL AND e.ended_at IS NULL"
                " AND c.status = 'confirmed' AND e.id > {} ORDER BY e.id LIMIT {}"
                " FOR NO KEY UPDATE OF e",
                course_id,
                after,
                batch_size,
            )
            ids = [row["id"] for row in rows]
            if ids:
                completed += len(await _complete(ids, now, None))
        if len(ids) < batch_size:
            return completed
        after = ids[-1]
