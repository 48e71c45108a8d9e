"""Demo content for the one-command run, loaded idempotently: a second run keeps what is there."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class DemoReport:
    """What the demo run prints for people to try: accounts and useful addresses."""

    accounts: list[tuple[str, str, str]] = field(default_factory=list)  # role, email, password
    links: list[tuple[str, str]] = field(default_factory=list)  # what, path


async def load_demo_data() -> DemoReport:
    # The platform has no content of its own yet; people, events and courses add theirs here.
    return DemoReport()
