"""The process-wide Piccolo engine, configured from the one `Settings` object it is given.

Piccolo finds its engine through `PICCOLO_CONF` (`year2026.piccolo_conf.DB`), and its tables keep a
reference to that engine: there is one per process, so it is made explicit here. It knows no
database until `configure_engine(settings)` names one; the app's lifespan, the worker's start-up
and every CLI command do that with the settings they were given (never from the environment
behind their back), and using the engine before that is an error rather than a silent default.
"""

from __future__ import annotations

import asyncio
import functools
import uuid
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from typing import Any, cast

import asyncpg
from piccolo.engine.postgres import PostgresEngine, PostgresTransaction
from piccolo.querystring import QueryString

from year2026.exceptions import DatabaseUnavailable
from year2026.settings import Settings

#: what asyncpg raises when the server cannot be reached or goes away: connecting refused or
#: timed out (OSError, TimeoutError), the connection lost mid-query, the server shutting down or
#: refusing connections for now; each means "PostgreSQL is away", a 503 rather than a 500
CONNECTION_FAILURES: tuple[type[Exception], ...] = (
    OSError,  # TimeoutError is one
    asyncpg.exceptions.PostgresConnectionError,
    asyncpg.exceptions.CannotConnectNowError,
    asyncpg.exceptions.AdminShutdownError,
    asyncpg.exceptions.CrashShutdownError,
    asyncpg.exceptions.TooManyConnectionsError,
)


class _Transaction(PostgresTransaction):
    async def get_connection(self) -> Any:
        try:
            return await super().get_connection()  # type: ignore[no-untyped-call]
        except CONNECTION_FAILURES as error:
            raise DatabaseUnavailable from error


class EngineNotConfigured(RuntimeError):
    """The engine was used before `configure_engine(settings)` named its database."""


class PlatformEngine(PostgresEngine):
    """A PostgreSQL engine whose connection settings come from `Settings`, set after import."""

    def __init__(self) -> None:
        self._dsn: str | None = None
        #: how many holders share the open pool (see `open_pool`)
        self.pool_users = 0
        super().__init__(config={}, log_queries=False)

    async def check_version(self) -> None:
        """Piccolo asks the server for its version while the engine is built (at import, before
        any settings exist); our migrations and the health checks find out soon enough."""

    @property
    def config(self) -> dict[str, Any]:
        if self._dsn is None:
            raise EngineNotConfigured(
                "the database engine is used before configure_engine(settings) named a database"
            )
        return {"dsn": self._dsn}

    @config.setter
    def config(self, value: dict[str, Any]) -> None:
        if value:  # Piccolo's own __init__ sets the empty placeholder
            raise TypeError("configure the engine with configure_engine(settings)")

    # Connection failures become `DatabaseUnavailable` where connections are taken, so that an
    # OSError of anything else is never mistaken for an outage of the database.

    async def get_new_connection(self) -> Any:
        try:
            return await super().get_new_connection()
        except CONNECTION_FAILURES as error:
            raise DatabaseUnavailable from error

    async def _run_in_pool(self, query: str, args: Any = None) -> Any:
        try:
            return await super()._run_in_pool(query, args)
        except CONNECTION_FAILURES as error:
            raise DatabaseUnavailable from error

    async def _run_in_new_connection(self, query: str, args: Any = None) -> Any:
        try:
            return await super()._run_in_new_connection(query, args)
        except CONNECTION_FAILURES as error:
            raise DatabaseUnavailable from error

    def transaction(self, allow_nested: bool = True) -> PostgresTransaction:
        return _Transaction(engine=self, allow_nested=allow_nested)

    @property
    def configured_dsn(self) -> str | None:
        return self._dsn

    def configure(self, dsn: str) -> None:
        if self.pool is not None and dsn != self._dsn:
            raise RuntimeError("close the connection pool before pointing the engine elsewhere")
        self._dsn = dsn


#: the engine of this process (Piccolo's `DB`)
ENGINE = PlatformEngine()


def configure_engine(settings: Settings) -> PlatformEngine:
    """Point the engine at the database `settings` name; the same settings again is a no-op."""
    ENGINE.configure(settings.effective_database_url)
    return ENGINE


def get_engine() -> PlatformEngine:
    return ENGINE


@asynccontextmanager
async def database_pool(settings: Settings) -> AsyncIterator[PlatformEngine]:
    """The engine, configured from `settings`, with its pool open for the duration of the block."""
    engine = await open_pool(settings)
    try:
        yield engine
    finally:
        await close_pool(engine)


async def open_pool(settings: Settings) -> PlatformEngine:
    """Open the pool, or join the one already open in this process (a test runs the worker beside
    the app); the last `close_pool` closes it."""
    engine = configure_engine(settings)
    engine.pool_users += 1
    if engine.pool is not None:
        return engine
    await engine.start_connection_pool(
        min_size=settings.db_pool_min,
        max_size=settings.db_pool_max,
        # a server that is down must not hang a request: fail fast (a 503); /readyz reports it
        timeout=5,
        command_timeout=30,
        # nothing waits on a row lock for long: a 503 to come back later, not a hang
        server_settings={"lock_timeout": LOCK_TIMEOUT},
        reset=_reset_if_needed,
    )
    return engine


#: the longest any statement of the platform waits for a lock (PostgreSQL's `lock_timeout`);
#: a statement that would wait longer fails with LockNotAvailable, answered 503 `database-busy`
LOCK_TIMEOUT = "3s"


async def _reset_if_needed(connection: Any) -> None:
    """What a connection goes back to the pool with. asyncpg's default runs its reset query (five
    statements: unlock advisory locks, close cursors, unlisten, reset settings) at every release;
    the platform leaves none of those behind (transaction-scoped locks and `SET LOCAL` only), so
    the reset is needed only for a connection that still has a transaction open."""
    if connection.is_in_transaction():
        await connection.reset()


async def close_pool(engine: PlatformEngine) -> None:
    engine.pool_users = max(0, engine.pool_users - 1)
    if engine.pool is not None and engine.pool_users == 0:
        await engine.close_connection_pool()


async def database_answers(engine: PlatformEngine, timeout: float = 2.0) -> bool:
    """True when PostgreSQL runs a trivial query within `timeout` seconds."""
    try:
        async with asyncio.timeout(timeout):
            rows = await engine.run_ddl("SELECT 1 AS ok", in_pool=engine.pool is not None)
    except Exception:  # noqa: BLE001 - whatever the failure, the answer is "not ready"
        return False
    return bool(rows) and rows[0]["ok"] == 1


@functools.lru_cache(maxsize=256)
def numbered(sql: str) -> str:
    """A statement written with Piccolo's `{}` placeholders, in PostgreSQL's `$1, $2, …`."""
    parts = sql.split("{}")
    return "".join(
        part + (f"${number}" if number < len(parts) else "") for number, part in enumerate(parts, 1)
    )


async def fetch(sql: str, *args: Any) -> list[asyncpg.Record]:
    """Run one statement (with `{}` placeholders) straight on asyncpg, in the current
    transaction if there is one: for the few hot paths where building the query through Piccolo
    costs more than running it (a registration rush). Everything else uses Piccolo."""
    engine = get_engine()
    query = numbered(sql)
    transaction = engine.current_transaction.get()
    try:
        if transaction is not None:
            return cast("list[asyncpg.Record]", await transaction.connection.fetch(query, *args))
        if engine.pool is None:
            return cast(
                "list[asyncpg.Record]",
                await engine._run_in_new_connection(query, list(args)),
            )
        async with engine.pool.acquire() as connection:
            return await connection.fetch(query, *args)
    except CONNECTION_FAILURES as error:
        raise DatabaseUnavailable from error


def like_pattern(text: str) -> str:
    """`%text%` for ILIKE, with the text's own `%`, `_` and `\\` taken literally."""
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def all_of(conditions: Sequence[QueryString]) -> QueryString:
    """The conditions joined by AND (TRUE for none), as one query string."""
    if not conditions:
        return QueryString("TRUE")
    return QueryString(" AND ".join("{}" for _ in conditions), *conditions)


def id_or_slug_clause(reference: str, alias: str = "") -> tuple[str, uuid.UUID | str]:
    """The SQL condition "the row named by its id or its slug" (of the table `alias`), with a
    `{}` placeholder, and its value: what an event's or a course's address names."""
    prefix = f"{alias}." if alias else ""
    try:
        return f"{prefix}id = {{}}", uuid.UUID(reference)
    except ValueError:
        return f"{prefix}slug = {{}}", reference
