"""The API fuzzing gate: every operation in the OpenAPI schema, ~100 generated requests each
(valid and invalid), against the API running as its own process on the real servers. Any 5xx, any
response that breaks the schema, any invalid request accepted or valid one refused fails it."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import schemathesis
from hypothesis import HealthCheck, settings

from tests.conftest import ServerSet
from tests.support.server import running_api
from year2026.app import create_app
from year2026.settings import Settings, load_settings


@pytest.fixture(scope="module")
def live_api(
    test_servers: ServerSet, settings: Settings, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    log = Path(tmp_path_factory.mktemp("schemathesis")) / "api.log"
    with running_api(test_servers.environment, log) as base_url:
        yield base_url


# The schema is what the app factory builds, read in-process; the requests go over HTTP to the
# running process. (A lazy fixture-based schema trips over pytest 9's node ids.)
schema = schemathesis.openapi.from_dict(create_app(load_settings({})).openapi_schema.to_schema())


@schema.parametrize()
@settings(
    max_examples=100,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
def test_api_honours_its_schema(case: schemathesis.Case, live_api: str) -> None:
    case.call_and_validate(base_url=live_api)
