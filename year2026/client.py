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


#: an IPv6 client holds a whole /64 (one home or phone network is given one): the budgets that
#: count per address count per /64, or every request could come from a fresh address
IPV6_LIMITED_PREFIX = 64


def limited_address(address: str) -> str:
    """What the per-address limits count: the address itself for IPv4, its /64 for IPv6."""
    try:
        parsed = ipaddress.ip_address(address)
    except ValueError:
        return address
    if isinstance(parsed, ipaddress.IPv6Address):
        if parsed.ipv4_mapped is not None:
            return str(parsed.ipv4_mapped)
        return str(ipaddress.IPv6Network((parsed, IPV6_LIMITED_PREFIX), strict=False))
    return str(parsed)


def rate_limited_client(request: Request[Any, Any, Any], settings: Settings) -> str:
    """The caller as the rate limits know them (see `limited_address`)."""
    return limited_address(client_address(request, settings))


def user_agent(request: Request[Any, Any, Any]) -> str:
    return request.headers.get("user-agent", "")[:200]
