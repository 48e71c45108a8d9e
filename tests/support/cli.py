"""Running the `year2026` command in-process, as a terminal would: settings from the environment."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import click
import msgspec
from click.testing import CliRunner, Result

from year2026.settings import PREFIX, Settings, get_settings


def environment_of(settings: Settings) -> dict[str, str]:
    """The `YEAR2026_*` variables that describe `settings` (only those not at their default)."""
    defaults = Settings()
    return {
        f"{PREFIX}{field.name.upper()}": str(getattr(settings, field.name))
        for field in msgspec.structs.fields(Settings)
        if getattr(settings, field.name) != getattr(defaults, field.name)
    }


def invoke(
    command: click.Command,
    settings: Settings,
    args: Sequence[str],
    *,
    extra_environment: Mapping[str, str | None] | None = None,
    input_: str = "",
) -> Result:
    """Run `command` with the environment of `settings` (plus extras); the process's cached
    settings are forgotten before and after, so the command reads them afresh as it would."""
    environment: dict[str, str | None] = {**environment_of(settings), **(extra_environment or {})}
    get_settings.cache_clear()
    try:
        return CliRunner().invoke(command, list(args), env=environment, input=input_)
    finally:
        get_settings.cache_clear()
