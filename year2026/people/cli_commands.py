"""CLI commands about people: `year2026 create-admin` makes the first admin."""

from __future__ import annotations

import asyncio
import uuid

import click

from year2026.exceptions import DomainError
from year2026.i18n import Language

#: where `create-admin` reads the password from, for scripts (else it asks twice, hidden)
PASSWORD_VARIABLE = "YEAR2026_ADMIN_PASSWORD"  # noqa: S105 - a variable name, not a secret


async def _create_admin(email: str, password: str, display_name: str) -> uuid.UUID:
    """Run `accounts.create_admin` with the database pool open for this command only."""
    from year2026.db import database_pool
    from year2026.people import accounts
    from year2026.settings import get_settings

    async with database_pool(get_settings()):  # the CLI's settings, read once
        return await accounts.create_admin(
            email=email, password=password, display_name=display_name
        )


@click.command("create-admin")
@click.option("--email", required=True, help="The admin's email (an existing account is promoted).")
@click.option("--name", default="Admin", show_default=True, help="Display name of a new account.")
def create_admin(email: str, name: str) -> None:
    """Create an admin, or give the admin role to the account with this email.

    The password comes from YEAR2026_ADMIN_PASSWORD, or is asked for (twice, not shown); it is
    used only when a new account is created.
    """
    from year2026.settings import load_settings

    # read now, not the process's cached settings: the variable belongs to this one command
    password = load_settings().admin_password or click.prompt(
        "Password", hide_input=True, confirmation_prompt=True
    )
    try:
        person_id = asyncio.run(_create_admin(email, password, name))
    except DomainError as error:
        raise click.ClickException(error.message(Language.EN)) from error
    click.echo(str(person_id))
