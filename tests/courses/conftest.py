"""Fixtures the courses' tests share."""

from __future__ import annotations

import pytest

from tests.support import organizers
from tests.support.organizers import Organizer
from year2026.settings import Settings


@pytest.fixture
async def provider(clean_state: Settings) -> Organizer:
    """A member of a new training provider, signed in, on a clean database."""
    return await organizers.organizer(clean_state, await organizers.organization("alem.ai"))
