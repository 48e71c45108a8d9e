"""/schema: Swagger UI from our own origin, under a CSP that allows nothing else, and it works."""

from __future__ import annotations

import re
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import httpx
import pytest

from tests.support.server import ServerSet, running_api
from year2026.settings import Settings

PAGE_POLICY = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'"
)


class _References(HTMLParser):
    """What a page loads (scripts, styles, icons) and whether it has inline script or style."""

    def __init__(self) -> None:
        super().__init__()
        self.loaded: list[tuple[str, str]] = []
        self.inline: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "script":
            self._in_script = True
            if values.get("src"):
                self.loaded.append(("script", values["src"] or ""))
        elif tag == "link" and values.get("href"):
            self.loaded.append((values.get("rel") or "", values["href"] or ""))
        elif tag == "style":
            self.inline.append("<style>")
        if any(name == "style" or name.startswith("on") for name, _ in attrs):
            self.inline.append(f"<{tag}> attribute")

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self._in_script = False

    def handle_data(self, data: str) -> None:
        if self._in_script and data.strip():
            self.inline.append("<script> body")


async def test_schema_page_loads_only_our_own_files(client: httpx.AsyncClient) -> None:
    page = await client.get("/schema")
    assert page.status_code == 200
    assert page.headers["content-type"] == "text/html; charset=utf-8"
    assert page.headers["content-security-policy"] == PAGE_POLICY
    references = _References()
    references.feed(page.text)

    assert references.inline == []
    assert references.loaded == [
        ("icon", "data:,"),
        ("stylesheet", "/schema/assets/swagger-ui.css"),
        ("script", "/schema/assets/swagger-ui-bundle.js"),
        ("script", "/schema/assets/schema-browser.js"),
    ]
    served = {}
    for _, url in references.loaded[1:]:
        response = await client.get(url)
        served[url] = (response.status_code, response.headers["content-type"])
    assert served == {
        "/schema/assets/swagger-ui.css": (200, "text/css; charset=utf-8"),
        "/schema/assets/swagger-ui-bundle.js": (200, "text/javascript; charset=utf-8"),
        "/schema/assets/schema-browser.js": (200, "text/javascript; charset=utf-8"),
    }
    assert 'data-openapi-url="/schema/openapi.json"' in page.text
    assert (await client.get("/schema/openapi.json")).status_code == 200


async def test_schema_assets_serve_only_what_the_page_needs(client: httpx.AsyncClient) -> None:
    """The package also holds a demo page pointing at the petstore and an OAuth2 redirect page:
    neither is served."""
    for name in ("index.html", "oauth2-redirect.html", "swagger-initializer.js", "..%2f"):
        response = await client.get(f"/schema/assets/{name}")
        assert (response.status_code, response.headers["content-type"]) == (
            404,
            "application/problem+json",
        )


def _chromium() -> str | None:
    for name in ("chromium-headless-shell", "chromium", "chromium-browser", "google-chrome"):
        if found := shutil.which(name):
            return found
    return None


@pytest.mark.skipif(_chromium() is None, reason="no headless Chromium on this machine")
def test_schema_page_renders_in_chromium_without_csp_violations(
    settings: Settings, test_servers: ServerSet, tmp_path: Path
) -> None:
    browser = _chromium()
    assert browser is not None
    with running_api(test_servers.environment, tmp_path / "api.log") as base_url:
        shown = subprocess.run(
            [
                browser,
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                f"--user-data-dir={tmp_path / 'profile'}",
                "--enable-logging=stderr",
                "--v=0",
                "--virtual-time-budget=20000",
                "--dump-dom",
                f"{base_url}/schema",
            ],
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
    refusals = [line for line in shown.stderr.splitlines() if "Content Security Policy" in line]
    assert refusals == []
    # Swagger UI read our schema and drew its operations
    assert re.search(r'class="[^"]*opblock-summary-path[^"]*"', shown.stdout), shown.stderr[-3000:]
    assert "/auth/sign-in" in shown.stdout
    assert "year2026 API" in shown.stdout
