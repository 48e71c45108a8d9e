"""The audit log's table: one row per recorded change, never changed or removed afterwards.

What Piccolo's columns cannot say is in a raw migration (migrations/year2026): the refusal of
UPDATE and DELETE (a trigger), `clock_timestamp()` as the time's default, the shape checks on
`before`/`after`, and the indexes of the admin listing's filters.
"""

from __future__ import annotations

from piccolo.columns import JSONB, UUID, BigSerial, Timestamptz, Varchar
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.table import Table

#: the longest action (`event.publish`), object type (`event`) and object id the log keeps
ACTION_MAX_LENGTH = 64
OBJECT_TYPE_MAX_LENGTH = 64
OBJECT_ID_MAX_LENGTH = 200
#: as long as a request id can be (`year2026.observability` keeps a caller's up to 128)
REQUEST_ID_MAX_LENGTH = 128


class AuditEntry(Table, tablename="audit_entry"):
    """Who changed what, from what to what, when, and in which request."""

    #: insertion order; breaks ties of `occurred_at` in the listing's keyset
    id = BigSerial(primary_key=True)
    #: when the change was written: `clock_timestamp()` (set by the database, see the raw
    #: migration), not the transaction's `now()`, so the entries of one transaction keep their
    #: order; Piccolo's default here is only a placeholder for its own inserts
    occurred_at = Timestamptz(default=TimestamptzNow())
    #: the person who acted; null for the platform itself (the worker, the CLI). Deliberately no
    #: foreign key: people are erased by clearing their fields (the row stays), and an entry
    #: must never be removed or rewritten by what happens to a person row
    actor = UUID(null=True, default=None)
    action = Varchar(length=ACTION_MAX_LENGTH)
    object_type = Varchar(length=OBJECT_TYPE_MAX_LENGTH)
    object_id = Varchar(length=OBJECT_ID_MAX_LENGTH)
    #: the changed fields as they were (a JSON object); null when the object was created
    before = JSONB(null=True, default=None)
    #: the changed fields as they became (a JSON object); null when the object was removed
    after = JSONB(null=True, default=None)
    #: the HTTP request that made the change; null outside requests (the worker, the CLI)
    request_id = Varchar(length=REQUEST_ID_MAX_LENGTH, null=True, default=None)


AUDIT_TABLES: list[type[Table]] = [AuditEntry]

__all__ = [
    "ACTION_MAX_LENGTH",
    "AUDIT_TABLES",
    "OBJECT_ID_MAX_LENGTH",
    "OBJECT_TYPE_MAX_LENGTH",
    "REQUEST_ID_MAX_LENGTH",
    "AuditEntry",
]
