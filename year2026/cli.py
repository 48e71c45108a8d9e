"""The `year2026` command: serve, worker, migrate, demo, check."""

from __future__ import annotations

import asyncio
import sys

import click

from year2026.people.cli_commands import create_admin
from year2026.recurrence import zone_database
from year2026.settings import Settings, SettingsError, describe, get_settings


def _settings_or_exit() -> Settings:
    try:
        return get_settings()
    except SettingsError as error:
        raise click.ClickException(str(error)) from error


@click.group()
def main() -> None:
    """year2026: Kazakhstan's Year of Digitalization and AI platform."""


@main.command()
@click.option("--host", default=None, help="Listen address (default: YEAR2026_HOST).")
@click.option("--port", type=int, default=None, help="Port (default: YEAR2026_PORT).")
@click.option("--workers", type=int, default=1, show_default=True, help="API processes.")
def serve(host: str | None, port: int | None, workers: int) -> None:
    """Run the HTTP API."""
    import uvicorn

    from year2026.observability import configure_logging

    settings = _settings_or_exit()
    configure_logging(settings)
    uvicorn.run(
        # each API process (uvicorn spawns them) configures its own logging in this factory
        "year2026.app:create_served_app",
        factory=True,
        host=host or settings.host,
        port=port or settings.port,
        workers=workers,
        log_config=None,
        access_log=False,
        server_header=False,
        # uvicorn would otherwise rewrite the client address from X-Forwarded-For for peers it
        # trusts (127.0.0.1 by default): `client.client_address` alone decides, by
        # YEAR2026_TRUSTED_PROXIES, whom to believe
        proxy_headers=False,
    )


@main.command()
def worker() -> None:
    """Run an arq worker (background jobs); it waits out Redis and PostgreSQL outages, and only
    SIGINT or SIGTERM stops it."""
    from year2026.observability import configure_logging
    from year2026.worker import run_worker

    settings = _settings_or_exit()
    configure_logging(settings)
    run_worker(settings)


@main.command(context_settings={"ignore_unknown_options": True, "allow_interspersed_args": False})
@click.argument("piccolo_args", nargs=-1, type=click.UNPROCESSED)
def migrate(piccolo_args: tuple[str, ...]) -> None:
    """Apply all migrations; with ARGS, run `piccolo migrations ARGS` (`new events --auto`)."""
    from year2026.db import configure_engine

    configure_engine(_settings_or_exit())
    if piccolo_args:
        from piccolo.main import main as piccolo_main

        # Piccolo's own command line, in this process, on the engine just configured
        sys.argv = ["piccolo", "migrations", *piccolo_args]
        piccolo_main()
        return
    from piccolo.apps.migrations.commands.forwards import run_forwards

    result = asyncio.run(run_forwards("all"))
    if not result.success:
        raise click.ClickException(f"migrations failed: {result.message}")


@main.command()
def demo() -> None:
    """Run everything on the embedded default: PostgreSQL, Redis, API, worker, demo data."""
    from year2026.launcher import run_demo

    raise SystemExit(run_demo(_settings_or_exit()))


main.add_command(create_admin)


@main.command("rotate-keys")
def rotate_keys() -> None:
    """Start signing access tokens with a new key; the old one stays published until its tokens
    expire. Running API processes pick the new key up within seconds."""
    import datetime as dt

    from year2026.auth.keys import SigningKeysError, rotate_signing_keys

    try:
        kid = rotate_signing_keys(_settings_or_exit(), dt.datetime.now(dt.UTC))
    except SigningKeysError as error:
        raise click.ClickException(str(error)) from error
    click.echo(kid)


@main.command()
def check() -> None:
    """Print the settings in force (secrets masked) and whether PostgreSQL and Redis answer."""
    settings = _settings_or_exit()
    for name, value in describe(settings).items():
        click.echo(f"{name:<28} {value}")
    postgres_ok, redis_ok, heartbeat = asyncio.run(_probe(settings))
    click.echo(f"{'PostgreSQL':<28} {'answers' if postgres_ok else 'NOT reachable'}")
    click.echo(f"{'Redis':<28} {'answers' if redis_ok else 'NOT reachable'}")
    click.echo(f"{'worker heartbeat':<28} {heartbeat or 'none in the last 3 minutes'}")
    click.echo(f"{'time-zone database':<28} {zone_database()}")
    if not (postgres_ok and redis_ok):
        raise SystemExit(1)


async def _probe(settings: Settings) -> tuple[bool, bool, str | None]:
    from year2026.db import configure_engine, database_answers
    from year2026.redis import open_redis, redis_answers
    from year2026.worker import HEARTBEAT_KEY

    # a new connection: no pool here
    postgres_ok = await database_answers(configure_engine(settings))
    redis_ok = False
    heartbeat = None
    try:
        async with asyncio.timeout(5):
            redis = await open_redis(settings)
        try:
            redis_ok = await redis_answers(redis)
            value = await redis.get(HEARTBEAT_KEY) if redis_ok else None
            heartbeat = value.decode() if isinstance(value, bytes) else None
        finally:
            await redis.aclose()
    except Exception:  # noqa: BLE001 - any failure to connect is what we report
        redis_ok = False
    return postgres_ok, redis_ok, heartbeat
