"""Fixtures the feeds' tests share."""

from __future__ import annotations

import pytest

from tests.support import organizers
from tests.support.organizers import Organizer
from year2026.settings import Settings


@pytest.fixture
async def organizer(clean_state: Settings) -> Organizer:
    """A member of a new organization, signed in, on a clean database."""
    return await organizers.organizer(clean_state)
