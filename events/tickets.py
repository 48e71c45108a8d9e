"""Tickets: the QR payload of a confirmed registration is a short signed token (a JWS, ES256,
with the platform's signing keys and their `kid`), so that a check-in device holding the JWKS
(`/.well-known/jwks.json`) and the event's list of cancelled registrations can tell a real
ticket from a forged one with no network.

The token says which registration, event and occurrence (and session) it admits, and nothing
about the person. It is made when shown, with the key that signs now, so that a rotated key only
matters for tickets shown before the rotation (the check-in list lets a device re-check those by
registration id). Its `typ` and audience are not an access token's: neither is taken for the
other.
"""

from __future__ import annotations

import datetime as dt
import secrets
import uuid
from dataclasses import dataclass
from typing import Any

from joserfc import jws, jwt
from joserfc.errors import BadSignatureError, InvalidKeyIdError, JoseError

from year2026.auth.keys import SIGNING_ALGORITHM, SigningKeys

TICKET_TYPE = "ticket+jwt"
TICKET_AUDIENCE = "year2026-check-in"
_ALGORITHMS = (SIGNING_ALGORITHM,)
#: Crockford's base32 (no I, L, O, U): what is typed at the door is read aloud and mistyped
CODE_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
_CODE_TRANSLATION = str.maketrans({"O": "0", "I": "1", "L": "1", "-": None, " ": None})


def new_ticket_code() -> str:
    """Eight characters of Crockford base32 (40 random bits), written `7KQ4-MX2P`."""
    bits = int.from_bytes(secrets.token_bytes(5))
    characters = "".join(CODE_ALPHABET[(bits >> shift) & 31] for shift in range(35, -1, -5))
    return f"{characters[:4]}-{characters[4:]}"


def normalized_code(typed: str) -> str:
    """A typed code as stored: upper case, O read as 0 and I/L as 1, the hyphen where it goes."""
    characters = typed.strip().upper().translate(_CODE_TRANSLATION)
    return f"{characters[:4]}-{characters[4:]}" if len(characters) == 8 else characters


@dataclass(frozen=True)
class TicketClaims:
    registration_id: uuid.UUID
    event_id: uuid.UUID
    occurrence_id: uuid.UUID
    session_id: uuid.UUID | None


class TicketUnreadable(Exception):
    """Not a ticket we signed; `reason` says why (`malformed`, `type`, `unknown-key`,
    `signature`, `claims`)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def sign_ticket(
    keys: SigningKeys, issuer: str, claims: TicketClaims, issued_at: dt.datetime
) -> str:
    header = {"alg": SIGNING_ALGORITHM, "kid": keys.signing_kid, "typ": TICKET_TYPE}
    payload: dict[str, Any] = {
        "iss": issuer,
        "aud": TICKET_AUDIENCE,
        "jti": str(claims.registration_id),
        "evt": str(claims.event_id),
        "occ": str(claims.occurrence_id),
        "iat": int(issued_at.timestamp()),
    }
    if claims.session_id is not None:
        payload["ses"] = str(claims.session_id)
    return jwt.encode(header, payload, keys.signing_key, algorithms=_ALGORITHMS)


def read_ticket(keys: SigningKeys, issuer: str, token: str) -> TicketClaims:
    """The claims of a ticket we signed (with any key still published), or `TicketUnreadable`."""
    try:
        header = jws.extract_compact(token.strip().encode()).headers()
    except (JoseError, ValueError):
        raise TicketUnreadable("malformed") from None
    if header.get("alg") != SIGNING_ALGORITHM or header.get("typ") != TICKET_TYPE:
        raise TicketUnreadable("type")
    kid = header.get("kid")
    if not isinstance(kid, str):
        raise TicketUnreadable("unknown-key")
    try:
        key = keys.verification_keys.get_by_kid(kid)
    except InvalidKeyIdError:
        raise TicketUnreadable("unknown-key") from None
    try:
        payload = jwt.decode(token.strip(), key, algorithms=_ALGORITHMS).claims
    except BadSignatureError:
        raise TicketUnreadable("signature") from None
    except (JoseError, ValueError):
        raise TicketUnreadable("malformed") from None
    if payload.get("iss") != issuer or payload.get("aud") != TICKET_AUDIENCE:
        raise TicketUnreadable("claims")
    try:
        session = payload.get("ses")
        return TicketClaims(
            registration_id=uuid.UUID(payload["jti"]),
            event_id=uuid.UUID(payload["evt"]),
            occurrence_id=uuid.UUID(payload["occ"]),
            session_id=None if session is None else uuid.UUID(session),
        )
    except (KeyError, TypeError, ValueError, AttributeError):
        raise TicketUnreadable("claims") from None
