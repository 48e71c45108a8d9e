"""What Piccolo's columns cannot say about registrations and check-ins: a registration is its
seat claim (same id), its occurrence, session and check-in belong to its own event, a typed
ticket code is unique in its event, and the indexes of the organizer's listing and the person's
own."""

from year2026.raw_migrations import sql_migration

ID = "2026-12-01T11:21:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "registrations: claim identity, same-event references, ticket codes, indexes"

STATEMENTS = [
    "ALTER TABLE event ADD CONSTRAINT event_capacity_positive"
    " CHECK (capacity IS NULL OR capacity >= 1)",
    "ALTER TABLE event ADD CONSTRAINT event_offer_hours_positive"
    " CHECK (offer_hours IS NULL OR offer_hours >= 1)",
    "ALTER TABLE event ADD CONSTRAINT event_registration_window_in_order"
    " CHECK (registration_opens_at IS NULL OR registration_closes_at IS NULL"
    " OR registration_opens_at < registration_closes_at)",
    "ALTER TABLE event_occurrence ADD CONSTRAINT event_occurrence_event_id_key UNIQUE (event, id)",
    # the claim statement writes both (`year2026.seats.claim_seat`'s companion)
    "ALTER TABLE event_registration ADD CONSTRAINT event_registration_is_a_claim"
    " FOREIGN KEY (id) REFERENCES seat_claim (id)",
    "ALTER TABLE event_registration ADD CONSTRAINT event_registration_occurrence_of_its_event"
    " FOREIGN KEY (event, occurrence) REFERENCES event_occurrence (event, id)",
    "ALTER TABLE event_registration ADD CONSTRAINT event_registration_session_of_its_event"
    " FOREIGN KEY (event, session) REFERENCES event_session (event, id)",
    "ALTER TABLE event_registration ADD CONSTRAINT event_registration_event_id_key"
    " UNIQUE (event, id)",
    "ALTER TABLE event_registration ADD CONSTRAINT event_registration_ticket_code_once"
    " UNIQUE (event, ticket_code)",
    "ALTER TABLE event_check_in ADD CONSTRAINT event_check_in_registration_of_its_event"
    " FOREIGN KEY (event, registration) REFERENCES event_registration (event, id)",
    "CREATE INDEX event_registration_listing_idx ON event_registration (event, created_at, id)",
    "CREATE INDEX event_registration_person_idx ON event_registration (person, created_at)",
    "CREATE INDEX event_registration_occurrence_idx ON event_registration (occurrence)",
    "CREATE INDEX event_registration_session_idx ON event_registration (session)",
    "CREATE INDEX event_check_in_event_idx ON event_check_in (event, checked_in_at)",
]
UNDO = [
    "DROP INDEX IF EXISTS event_check_in_event_idx",
    "DROP INDEX IF EXISTS event_registration_session_idx",
    "DROP INDEX IF EXISTS event_registration_occurrence_idx",
    "DROP INDEX IF EXISTS event_registration_person_idx",
    "DROP INDEX IF EXISTS event_registration_listing_idx",
    "ALTER TABLE event_check_in DROP CONSTRAINT IF EXISTS event_check_in_registration_of_its_event",
    "ALTER TABLE event_registration DROP CONSTRAINT IF EXISTS event_registration_ticket_code_once",
    "ALTER TABLE event_registration DROP CONSTRAINT IF EXISTS event_registration_event_id_key",
    "ALTER TABLE event_registration"
    " DROP CONSTRAINT IF EXISTS event_registration_session_of_its_event",
    "ALTER TABLE event_registration"
    " DROP CONSTRAINT IF EXISTS event_registration_occurrence_of_its_event",
    "ALTER TABLE event_registration DROP CONSTRAINT IF EXISTS event_registration_is_a_claim",
    "ALTER TABLE event_occurrence DROP CONSTRAINT IF EXISTS event_occurrence_event_id_key",
    "ALTER TABLE event DROP CONSTRAINT IF EXISTS event_registration_window_in_order",
    "ALTER TABLE event DROP CONSTRAINT IF EXISTS event_offer_hours_positive",
    "ALTER TABLE event DROP CONSTRAINT IF EXISTS event_capacity_positive",
]

forwards = sql_migration(ID, "events", DESCRIPTION, STATEMENTS, UNDO)
