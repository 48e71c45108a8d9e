"""What Piccolo's columns cannot express for an event's programme: that a session's room, track
and speakers are of its own event (references that carry the event), the checks on names,
times, capacities and photo links, and the index of the sessions listing."""

from year2026.raw_migrations import sql_migration

ID = "2026-12-01T09:21:30:000000"
VERSION = "1.38.0"
DESCRIPTION = "programme: same-event references, checks and the sessions listing index"

#: (table, constraint, definition)
CONSTRAINTS = [
    # what the references below point at: a row's id together with its event
    ("event_track", "event_track_event_id_key", "UNIQUE (event, id)"),
    ("event_room", "event_room_event_id_key", "UNIQUE (event, id)"),
    ("event_speaker", "event_speaker_event_id_key", "UNIQUE (event, id)"),
    ("event_session", "event_session_event_id_key", "UNIQUE (event, id)"),
    # a null room or track is not checked (MATCH SIMPLE), as a session without one needs
    (
        "event_session",
        "event_session_room_of_its_event",
        "FOREIGN KEY (event, room) REFERENCES event_room (event, id)",
    ),
    (
        "event_session",
        "event_session_track_of_its_event",
        "FOREIGN KEY (event, track) REFERENCES event_track (event, id)",
    ),
    (
        "event_session_speaker",
        "event_session_speaker_session_of_its_event",
        "FOREIGN KEY (event, session) REFERENCES event_session (event, id) ON DELETE CASCADE",
    ),
    (
        "event_session_speaker",
        "event_session_speaker_speaker_of_its_event",
        "FOREIGN KEY (event, speaker) REFERENCES event_speaker (event, id)",
    ),
    ("event_session_speaker", "event_session_speaker_once", "UNIQUE (session, speaker)"),
    (
        "event_track",
        "event_track_has_a_name",
        "CHECK (name_kk <> '' OR name_ru <> '' OR name_en <> '')",
    ),
    ("event_track", "event_track_position_not_negative", "CHECK (position >= 0)"),
    (
        "event_room",
        "event_room_has_a_name",
        "CHECK (name_kk <> '' OR name_ru <> '' OR name_en <> '')",
    ),
    ("event_room", "event_room_position_not_negative", "CHECK (position >= 0)"),
    ("event_room", "event_room_capacity_positive", "CHECK (capacity IS NULL OR capacity >= 1)"),
    ("event_speaker", "event_speaker_has_a_name", "CHECK (name <> '')"),
    (
        "event_speaker",
        "event_speaker_photo_is_http",
        "CHECK (photo_url = '' OR photo_url ~ '^https?://')",
    ),
    (
        "event_session",
        "event_session_has_a_title",
        "CHECK (title_kk <> '' OR title_ru <> '' OR title_en <> '')",
    ),
    ("event_session", "event_session_ends_after_start", "CHECK (ends_at > starts_at)"),
    (
        "event_session",
        "event_session_capacity_positive",
        "CHECK (capacity IS NULL OR capacity >= 1)",
    ),
    ("event_session", "event_session_sequence_not_negative", "CHECK (sequence >= 0)"),
    (
        "event_session_speaker",
        "event_session_speaker_position_not_negative",
        "CHECK (position >= 0)",
    ),
]

INDEXES = [
    # the sessions listing: an event's sessions in start order (keyset), also by day
    "CREATE INDEX event_session_start_idx ON event_session (event, starts_at, id)",
    # what a room, track or speaker is used by (asked before one is removed)
    "CREATE INDEX event_session_room_idx ON event_session (room)",
    "CREATE INDEX event_session_track_idx ON event_session (track)",
    "CREATE INDEX event_session_speaker_speaker_idx ON event_session_speaker (speaker)",
]

STATEMENTS = [
    *(
        f"ALTER TABLE {table} ADD CONSTRAINT {name} {definition}"
        for table, name, definition in CONSTRAINTS
    ),
    *INDEXES,
]

UNDO = [
    *(f"DROP INDEX IF EXISTS {statement.split()[2]}" for statement in INDEXES),
    *(
        f"ALTER TABLE {table} DROP CONSTRAINT IF EXISTS {name}"
        for table, name, _ in reversed(CONSTRAINTS)
    ),
]

forwards = sql_migration(ID, "events", DESCRIPTION, STATEMENTS, UNDO)
