"""One settings object, read from YEAR2026_* variables, each documented in the README."""

from __future__ import annotations

from pathlib import Path

import msgspec
import pytest

from tests.support.server import REPO_ROOT
from year2026.settings import ENVIRONMENT, Settings, SettingsError, describe, load_settings


def test_defaults_mean_the_embedded_servers_in_the_data_folder(tmp_path: Path) -> None:
    settings = load_settings({"YEAR2026_DATA_DIR": str(tmp_path)})
    assert settings.uses_embedded_postgres
    assert settings.uses_embedded_redis
    assert settings.effective_database_url == (
        f"postgresql://postgres@/year2026?host={tmp_path}/postgres"
    )
    assert settings.effective_redis_url == f"unix://{tmp_path}/redis/redis.sock"
    assert settings.effective_public_url == "http://127.0.0.1:8000"


def test_values_are_converted_from_text() -> None:
    settings = load_settings({"YEAR2026_PORT": "9000", "YEAR2026_ACCESS_TOKEN_MINUTES": "5"})
    assert (settings.port, settings.access_token_minutes) == (9000, 5)


@pytest.mark.parametrize(
    "environment",
    [
        {"YEAR2026_PORT": "eighty"},
        {"YEAR2026_PORT": "70000"},
        {"YEAR2026_LOG_LEVEL": "loud"},
        {"YEAR2026_DATABSE_URL": "postgresql://typo"},  # a misspelt name is not ignored
        {"YEAR2026_OIDC_ISSUER": "https://idp.example.kz"},  # without client id and secret
    ],
)
def test_invalid_environment_is_refused(environment: dict[str, str]) -> None:
    with pytest.raises(SettingsError):
        load_settings(environment)


def test_describe_masks_secrets_and_passwords_in_urls() -> None:
    settings = load_settings(
        {
            "YEAR2026_DATABASE_URL": "postgresql://app:s3cret@db.internal:5432/year2026",
            "YEAR2026_OIDC_ISSUER": "https://idp.example.kz",
            "YEAR2026_OIDC_CLIENT_ID": "year2026",
            "YEAR2026_OIDC_CLIENT_SECRET": "very-secret",
        }
    )
    shown = "\n".join(f"{name}={value}" for name, value in describe(settings).items())
    assert "s3cret" not in shown
    assert "very-secret" not in shown
    assert "postgresql://app:***@db.internal:5432/year2026" in shown
    assert "YEAR2026_OIDC_CLIENT_SECRET=***" in shown


def test_every_setting_is_listed_and_in_the_readme() -> None:
    fields = {field.name.upper() for field in msgspec.structs.fields(Settings)}
    assert fields == set(ENVIRONMENT)
    readme = (REPO_ROOT / "README.md").read_text()
    missing = [name for name in sorted(fields) if f"`YEAR2026_{name}`" not in readme]
    assert missing == []
