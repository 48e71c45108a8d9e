"""Migrations written as SQL: what Piccolo's columns cannot express (constraints across columns,
generated columns, triggers, partial and composite indexes).

A migration module then says only what it does:

    STATEMENTS = ["CREATE INDEX …"]
    UNDO = ["DROP INDEX IF EXISTS …"]
    forwards = sql_migration(ID, "events", DESCRIPTION, STATEMENTS, UNDO)

Each statement runs on Piccolo's engine inside the migration's own transaction, so a migration
applies whole or not at all. Data changes belong in migrations of their own, and none of these
imports an app's tables (a later change to a table must not change what an old migration did).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.engine import engine_finder


async def _run_all(statements: Sequence[str]) -> None:
    engine = engine_finder()
    if engine is None:
        raise RuntimeError("no database engine for the migration")
    for statement in statements:
        await engine.run_ddl(statement)  # joins the migration's transaction


def sql_migration(
    migration_id: str,
    app_name: str,
    description: str,
    statements: Sequence[str],
    undo: Sequence[str] = (),
) -> Callable[[], Awaitable[MigrationManager]]:
    """The `forwards` of a migration that runs `statements` (and `undo` backwards)."""

    async def forwards() -> MigrationManager:
        manager = MigrationManager(
            migration_id=migration_id, app_name=app_name, description=description
        )

        async def run() -> None:
            await _run_all(statements)

        async def run_backwards() -> None:
            await _run_all(undo)

        manager.add_raw(run)
        manager.add_raw_backwards(run_backwards)
        return manager

    return forwards
