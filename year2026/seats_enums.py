"""The states of a seat claim."""

from __future__ import annotations

import enum


class ClaimStatus(enum.StrEnum):
    """waitlisted → (offered →) confirmed; any active one → cancelled."""

    CONFIRMED = "confirmed"
    WAITLISTED = "waitlisted"
    #: promoted from the waitlist, holding a seat until `offer_expires_at`
    OFFERED = "offered"
    CANCELLED = "cancelled"


#: the statuses of a live claim: a person has at most one of these per pool
ACTIVE_STATUSES = frozenset({ClaimStatus.CONFIRMED, ClaimStatus.WAITLISTED, ClaimStatus.OFFERED})
#: the statuses that hold a seat
SEATED_STATUSES = frozenset({ClaimStatus.CONFIRMED, ClaimStatus.OFFERED})


class EndedReason(enum.StrEnum):
    WITHDRAWN = "withdrawn"
    CANCELLED_BY_ORGANIZER = "cancelled-by-organizer"
    OFFER_EXPIRED = "offer-expired"
    ERASED = "erased"
