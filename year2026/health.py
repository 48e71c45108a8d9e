"""Liveness and readiness, for load balancers and for `year2026 check`."""

from __future__ import annotations

import asyncio
from typing import ClassVar

import msgspec
from litestar import Controller, get
from litestar.datastructures import State

from year2026.db import database_answers, get_engine
from year2026.exceptions import Unavailable
from year2026.i18n import Language, Texts
from year2026.redis import redis_answers


class Alive(msgspec.Struct, frozen=True):
    status: str


class Ready(msgspec.Struct, frozen=True):
    status: str
    postgres: str
    redis: str


class NotReady(Unavailable):
    code = "not-ready"
    messages: ClassVar[Texts] = {
        Language.KK: "Қолжетімсіз: {down}.",
        Language.RU: "Недоступно: {down}.",
        Language.EN: "Not reachable: {down}.",
    }


class HealthController(Controller):
    tags = ["health"]  # noqa: RUF012 - Litestar declares it as an instance attribute

    @get("/healthz", summary="The process is alive", cache=False)
    async def alive(self) -> Alive:
        return Alive(status="alive")

    @get(
        "/readyz",
        summary="PostgreSQL and Redis answer; 503 with a problem otherwise",
        cache=False,
        opt={"errors": [NotReady]},
    )
    async def ready(self, state: State) -> Ready:
        postgres_ok, redis_ok = await asyncio.gather(
            database_answers(get_engine()),
            redis_answers(state.redis),
        )
        if not (postgres_ok and redis_ok):
            down = [
                name for name, ok in (("PostgreSQL", postgres_ok), ("Redis", redis_ok)) if not ok
            ]
            raise NotReady(down=", ".join(down))
        return Ready(status="ready", postgres="ok", redis="ok")
