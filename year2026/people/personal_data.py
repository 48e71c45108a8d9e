"""What the domains hold about a person, for `GET /me/export` and `DELETE /me`.

People is the foundation the domains build on, so it cannot import them; instead the composition
root (`year2026.app.create_app`) hands it each domain's parts: a section of the export, and a step
of erasure that runs inside erasure's own transaction, before the person's identity is cleared.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

#: the person's data of one domain, JSON-ready
Exporter = Callable[[uuid.UUID], Awaitable[Any]]
#: forget (or let go of) what a domain holds for the person, at `now`, in the caller's transaction
Eraser = Callable[[uuid.UUID, dt.datetime], Awaitable[None]]


@dataclass(frozen=True)
class PersonalDataParts:
    exports: Mapping[str, Exporter] = field(default_factory=dict)
    erasures: Sequence[Eraser] = ()


#: no domain parts (the people package on its own)
NO_PARTS = PersonalDataParts()
