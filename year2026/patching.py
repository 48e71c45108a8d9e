"""Partial updates (PATCH): which fields a body carries, and the column values they become."""

from __future__ import annotations

import enum
from collections.abc import Iterable, Mapping
from typing import Any

import msgspec
from piccolo.table import Table


def present_fields(body: msgspec.Struct) -> dict[str, Any]:
    """The fields a PATCH body carries: UNSET means "not sent", `None` means "clear it"."""
    return {
        name: getattr(body, name)
        for name in body.__struct_fields__
        if getattr(body, name) is not msgspec.UNSET
    }


def column_values(
    table: type[Table], changes: Mapping[str, Any], editable: Iterable[str]
) -> dict[Any, Any]:
    """Piccolo `update` values for the `editable` fields present in `changes` (enums stored by
    value); fields not in `editable` are ignored."""
    values: dict[Any, Any] = {}
    for name in editable:
        if name in changes:
            value = changes[name]
            values[getattr(table, name)] = value.value if isinstance(value, enum.Enum) else value
    return values
