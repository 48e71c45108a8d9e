"""The audit log: who changed what, from what to what, when, and in which request.

Every domain records its changes with `record_change`, inside the transaction that makes the
change, so that the change and its entry are committed or rolled back together: there is no
change without its entry and no entry of a change that did not happen. The database keeps the
log append-only (a trigger refuses UPDATE and DELETE); admins read it through
`year2026.audit_listing`.

An entry holds only the fields that differ between the object's state before and after (on both
sides), as JSON: uuids, times, dates, enums and decimals become strings (decimals exactly),
nested objects and lists are kept whole. Keep personal data out of `before`/`after` (a person's
email, birth year…): the log cannot be rewritten when a person asks to be forgotten.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Mapping
from typing import Any

import msgspec

from year2026.audit_tables import (
    ACTION_MAX_LENGTH,
    OBJECT_ID_MAX_LENGTH,
    OBJECT_TYPE_MAX_LENGTH,
    AuditEntry,
)
from year2026.db import get_engine
from year2026.observability import current_request_id

#: what an action looks like: the object type, a dot, the verb (`event.publish`, `role.grant`)
ACTION_PATTERN = r"^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)+$"
#: what an object type looks like (`event`, `person`, `organization`)
OBJECT_TYPE_PATTERN = r"^[a-z][a-z0-9_]*$"
#: what an object id looks like: visible ASCII (a uuid, a slug, a composite key)
OBJECT_ID_PATTERN = r"^[!-~]+$"

_ACTION = re.compile(ACTION_PATTERN)
_OBJECT_TYPE = re.compile(OBJECT_TYPE_PATTERN)
_OBJECT_ID = re.compile(OBJECT_ID_PATTERN)

_INSERT_SQL = (
    "INSERT INTO audit_entry"
    " (occurred_at, actor, action, object_type, object_id, before, after, request_id)"
    " VALUES (clock_timestamp(), {}, {}, {}, {}, {}::jsonb, {}::jsonb, {})"
)


def json_safe(fields: Mapping[str, Any]) -> dict[str, Any]:
    """`fields` as plain JSON values: uuid, datetime, date, time and Decimal as strings, enums as
    their values, sets as sorted lists; anything else JSON cannot say is a TypeError."""
    if not all(isinstance(name, str) for name in fields):
        raise TypeError(f"audit fields are named by strings, not {list(fields)!r}")
    encoded = msgspec.json.encode(dict(fields), order="deterministic")
    safe: dict[str, Any] = msgspec.json.decode(encoded)
    return safe


def _same(left: Any, right: Any) -> bool:
    # compared as JSON text, so that 1, 1.0 and true are three different values
    return msgspec.json.encode(left, order="deterministic") == msgspec.json.encode(
        right, order="deterministic"
    )


def changed_fields(
    before: Mapping[str, Any] | None, after: Mapping[str, Any] | None
) -> tuple[dict[str, Any], dict[str, Any]]:
    """The fields that differ between `before` and `after`, as they were and as they became
    (JSON-safe). A field on one side only is a change and appears on that side only; None (the
    object did not exist, or no longer does) counts as no fields."""
    old = json_safe(before or {})
    new = json_safe(after or {})
    unchanged = {name for name in old.keys() & new.keys() if _same(old[name], new[name])}
    return (
        {name: value for name, value in old.items() if name not in unchanged},
        {name: value for name, value in new.items() if name not in unchanged},
    )


def _checked(pattern: re.Pattern[str], max_length: int, what: str, value: str) -> str:
    if len(value) > max_length or not pattern.fullmatch(value):
        raise ValueError(f"audit {what} {value!r} does not match {pattern.pattern}")
    return value


def _require_open_transaction() -> None:
    transaction = get_engine().current_transaction.get()
    connection = getattr(transaction, "connection", None)
    if connection is None or not connection.is_in_transaction():
        raise RuntimeError(
            "record_change runs inside the transaction of the change it records:"
            " wrap both in `async with get_engine().transaction():`"
        )


async def record_change(
    *,
    actor_id: uuid.UUID | None,
    action: str,
    object_type: str,
    object_id: uuid.UUID | str,
    before: Mapping[str, Any] | None,
    after: Mapping[str, Any] | None,
) -> None:
    """Write an entry of the change from `before` to `after` of one object, in the caller's open
    transaction (a RuntimeError without one).

    `before` is None for a created object, `after` None for a removed one; only the fields that
    differ are kept. When both are given and nothing differs, nothing happened and no entry is
    written. `actor_id` is None when the platform acts by itself (the worker, the CLI). The
    request id is the current HTTP request's (None outside requests).
    """
    _require_open_transaction()
    _checked(_ACTION, ACTION_MAX_LENGTH, "action", action)
    _checked(_OBJECT_TYPE, OBJECT_TYPE_MAX_LENGTH, "object type", object_type)
    object_key = _checked(_OBJECT_ID, OBJECT_ID_MAX_LENGTH, "object id", str(object_id))
    if before is None and after is None:
        raise ValueError("an audit entry needs the state before or after the change")
    old, new = changed_fields(before, after)
    if before is not None and after is not None and not old and not new:
        return
    await AuditEntry.raw(
        _INSERT_SQL,
        actor_id,
        action,
        object_type,
        object_key,
        None if before is None else msgspec.json.encode(old).decode(),
        None if after is None else msgspec.json.encode(new).decode(),
        current_request_id(),
    )


__all__ = [
    "ACTION_PATTERN",
    "OBJECT_ID_PATTERN",
    "OBJECT_TYPE_PATTERN",
    "changed_fields",
    "json_safe",
    "record_change",
]
