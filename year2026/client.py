"""Who is on the other end of a request: their address and their user agent."""

from __future__ import annotations

import ipaddress
from typing import Any

from litestar import Request

from year2026.settings import Settings


def client_address(request: Request[Any, Any, Any], settings: Settings) -> str:
    """The caller's address; X-Forwarded-For is believed only from a configured proxy."""
    peer = request.client.host if request.client else "unknown"
    trusted = {entry.strip() for entry in settings.trusted_proxies.split(",") if entry.strip()}
    forwarded = request.headers.get("x-forwarded-for")
    if peer in trusted and forwarded:
        candidate = forwarded.split(",")[-1].strip()
        try:
            return str(ipaddress.ip_address(candidate))
        except ValueError:
            return peer
    return peer


def user_agent(request: Request[Any, Any, Any]) -> str:
    return request.headers.get("user-agent", "")[:200]
