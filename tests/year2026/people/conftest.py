from __future__ import annotations

import httpx
import pytest


@pytest.fixture
def api(client: httpx.AsyncClient) -> httpx.AsyncClient:
    """The app's client, under the name the organization and role tests use."""
    return client
