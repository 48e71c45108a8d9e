"""Whose address a request comes from, as the real server process sees it: X-Forwarded-For is
believed only from a configured proxy, so a client cannot buy a new rate-limit budget per request
by inventing one. (In-process tests cannot show this: the server's own proxy handling is not in
that path.)"""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest

from tests.support.server import ServerSet, running_api
from year2026.client import limited_address
from year2026.settings import Settings


def bad_sign_in_statuses(base_url: str, forwarded_for: list[str]) -> list[int]:
    """One wrong password a request, each for a new account and with the given forwarded address
    (so that only the per-address budget can refuse them)."""
    statuses = []
    with httpx.Client(base_url=base_url, timeout=30) as http:
        for n, address in enumerate(forwarded_for):
            answer = http.post(
                "/auth/sign-in",
                json={"email": f"nobody{n}@example.kz", "password": "not the password"},
                headers={"X-Forwarded-For": address},
            )
            statuses.append(answer.status_code)
    return statuses


def test_forwarded_address_from_an_untrusted_peer_buys_no_new_budget(
    test_servers: ServerSet, clean_state: Settings, tmp_path: Path
) -> None:
    environment = {**test_servers.environment, "YEAR2026_AUTH_RATE_PER_ADDRESS": "3"}
    with running_api(environment, tmp_path / "api.log") as base_url:
        statuses = bad_sign_in_statuses(base_url, [f"198.51.100.{n}" for n in range(1, 7)])

    # every request is counted against the real peer, 127.0.0.1, whatever the header says
    assert statuses == [401, 401, 401, 429, 429, 429]


def test_forwarded_address_from_a_trusted_proxy_is_the_client(
    test_servers: ServerSet, clean_state: Settings, tmp_path: Path
) -> None:
    environment = {
        **test_servers.environment,
        "YEAR2026_AUTH_RATE_PER_ADDRESS": "2",
        "YEAR2026_TRUSTED_PROXIES": "127.0.0.1",
    }
    forwarded = ["198.51.100.1", "198.51.100.2", "198.51.100.1", "198.51.100.2", "198.51.100.1"]
    with running_api(environment, tmp_path / "api.log") as base_url:
        statuses = bad_sign_in_statuses(base_url, forwarded)

    # each client behind the proxy has a budget of its own: the third from .1 is the one refused
    assert statuses == [401, 401, 401, 401, 429]


@pytest.mark.parametrize(
    ("address", "counted_as"),
    [
        ("203.0.113.7", "203.0.113.7"),
        ("2001:db8:1:2:aaaa::1", "2001:db8:1:2::/64"),
        ("2001:db8:1:2:ffff:ffff:ffff:ffff", "2001:db8:1:2::/64"),
        ("2001:db8:1:3::1", "2001:db8:1:3::/64"),
        ("::ffff:203.0.113.7", "203.0.113.7"),
        ("unknown", "unknown"),
    ],
)
def test_ipv6_clients_are_limited_per_64(address: str, counted_as: str) -> None:
    assert limited_address(address) == counted_as
