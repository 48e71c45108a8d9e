"""Run a real OpenID Connect provider (npm `oidc-provider`) for tests.

The provider is `tests/support/oidc_provider.mjs`; its npm dependencies are
pinned in the repo's package-lock.json (install them with `npm ci`).
"""

from __future__ import annotations

import contextlib
import json
import os
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import httpx

from tests.support.server import free_port

REPO_ROOT = Path(__file__).resolve().parents[2]
SCRIPT = REPO_ROOT / "tests" / "support" / "oidc_provider.mjs"

_START_TIMEOUT = 30.0
_STOP_TIMEOUT = 5.0
_MAX_HOPS = 20


@contextlib.contextmanager
def running_oidc_provider(
    tmp_dir: Path,
    clients: list[dict[str, object]],
    accounts: list[dict[str, object]],
) -> Iterator[str]:
    """Start the provider with these clients/accounts; yield its issuer URL."""
    if not (REPO_ROOT / "node_modules" / "oidc-provider").is_dir():
        msg = f"node_modules/oidc-provider is missing: run `npm ci` in {REPO_ROOT}"
        raise RuntimeError(msg)
    tmp_dir.mkdir(parents=True, exist_ok=True)
    config = tmp_dir / "oidc_config.json"
    config.write_text(json.dumps({"clients": clients, "accounts": accounts}))
    # Output goes to files, not pipes: nobody drains a pipe during the test,
    # and a full pipe would block the provider.
    stdout_path = tmp_dir / "oidc_stdout.log"
    stderr_path = tmp_dir / "oidc_stderr.log"
    env = {**os.environ, "OIDC_PORT": str(free_port()), "OIDC_CONFIG": str(config)}
    with stdout_path.open("wb") as out, stderr_path.open("wb") as err:
        proc = subprocess.Popen(
            ["node", str(SCRIPT)], cwd=REPO_ROOT, env=env, stdout=out, stderr=err
        )
    try:
        issuer = _wait_ready(proc, stdout_path, stderr_path)
        yield issuer
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=_STOP_TIMEOUT)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def _wait_ready(proc: subprocess.Popen[bytes], stdout_path: Path, stderr_path: Path) -> str:
    deadline = time.monotonic() + _START_TIMEOUT
    while time.monotonic() < deadline:
        for line in stdout_path.read_text(errors="replace").splitlines():
            if line.startswith("READY "):
                return line.removeprefix("READY ").strip()
        if proc.poll() is not None:
            break
        time.sleep(0.05)
    state = f"exited with {proc.returncode}" if proc.poll() is not None else "timed out"
    stderr = stderr_path.read_text(errors="replace")
    msg = f"oidc provider {state} before READY; stderr:\n{stderr}"
    raise RuntimeError(msg)


def _origin(url: str) -> tuple[str, str]:
    parts = urlsplit(url)
    return parts.scheme, parts.netloc


def complete_login(authorization_url: str, sub: str) -> str:
    """Drive the browser side of the flow as account `sub`; return the callback URL.

    Follows the provider's redirects by hand (a fresh cookie jar, like a new
    browser) and answers the login interaction with `login=<sub>`; consent is
    granted by the provider script. Returns the first Location that leaves the
    provider's origin: the redirect_uri with `code`/`state` or with `error`.
    """
    provider = _origin(authorization_url)
    url = authorization_url
    with httpx.Client(follow_redirects=False, timeout=10.0) as client:
        response = client.get(url)
        for _ in range(_MAX_HOPS):
            if not response.has_redirect_location:
                status = response.status_code
                msg = f"provider did not redirect from {url}: {status} {response.text[:500]}"
                raise RuntimeError(msg)
            url = urljoin(url, str(response.headers["location"]))
            if _origin(url) != provider:
                return url
            if urlsplit(url).path.startswith("/interaction/"):
                response = client.post(url, data={"login": sub})
            else:
                response = client.get(url)
    msg = f"too many redirects, last at {url}"
    raise RuntimeError(msg)
