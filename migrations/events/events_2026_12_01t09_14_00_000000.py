"""What Piccolo's columns cannot express for the event calendar: the full-text search vector, the
rules on times, coordinates and titles, and the indexes of the public listing."""

from year2026.raw_migrations import sql_migration

ID = "2026-12-01T09:14:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "event search vector, checks and listing indexes"

# Kazakh has no stemmer in PostgreSQL (and the embedded server no contrib extensions): its texts
# are indexed with the `simple` configuration, Russian and English with their own stemmers. Titles
# weigh most (A), then summaries and tags (B), then descriptions and venues (C).
SEARCH_VECTOR = """
    setweight(to_tsvector('simple'::regconfig, title_kk), 'A')
    || setweight(to_tsvector('russian'::regconfig, title_ru), 'A')
    || setweight(to_tsvector('english'::regconfig, title_en), 'A')
    || setweight(to_tsvector('simple'::regconfig, summary_kk), 'B')
    || setweight(to_tsvector('russian'::regconfig, summary_ru), 'B')
    || setweight(to_tsvector('english'::regconfig, summary_en), 'B')
    || setweight(to_tsvector('simple'::regconfig, events_words_of(tags)), 'B')
    || setweight(to_tsvector('simple'::regconfig, description_kk || ' ' || venue_name_kk), 'C')
    || setweight(to_tsvector('russian'::regconfig, description_ru || ' ' || venue_name_ru), 'C')
    || setweight(to_tsvector('english'::regconfig, description_en || ' ' || venue_name_en), 'C')
"""

STATEMENTS = [
    # array_to_string is only STABLE in general (its element type's output could vary); for text
    # it is not, and a generated column needs an IMMUTABLE expression
    "CREATE FUNCTION events_words_of(words varchar[]) RETURNS text"
    " LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$ SELECT array_to_string(words, ' ') $$",
    f"ALTER TABLE event ADD COLUMN search tsvector GENERATED ALWAYS AS ({SEARCH_VECTOR}) STORED",
    "CREATE INDEX event_search_idx ON event USING gin (search)",
    "CREATE INDEX event_tags_idx ON event USING gin (tags)",
    "CREATE INDEX event_organization_idx ON event (organization)",
    "ALTER TABLE event ADD CONSTRAINT event_has_a_title"
    " CHECK (title_kk <> '' OR title_ru <> '' OR title_en <> '')",
    "ALTER TABLE event ADD CONSTRAINT event_ends_after_start CHECK (ends_at > starts_at)",
    "ALTER TABLE event ADD CONSTRAINT event_dates_in_order"
    " CHECK (NOT all_day OR (start_date IS NOT NULL AND end_date >= start_date))",
    "ALTER TABLE event ADD CONSTRAINT event_latitude_range"
    " CHECK (latitude IS NULL OR latitude BETWEEN -90 AND 90)",
    "ALTER TABLE event ADD CONSTRAINT event_longitude_range"
    " CHECK (longitude IS NULL OR longitude BETWEEN -180 AND 180)",
    "ALTER TABLE event_occurrence ADD CONSTRAINT event_occurrence_event_original_start_key"
    " UNIQUE (event, original_start)",
    "ALTER TABLE event_occurrence ADD CONSTRAINT event_occurrence_ends_after_start"
    " CHECK (ends_at > starts_at)",
    # the public listing: occurrences in start order (keyset), and those still to come
    "CREATE INDEX event_occurrence_start_idx ON event_occurrence (starts_at, id)",
    "CREATE INDEX event_occurrence_end_idx ON event_occurrence (ends_at)",
]

UNDO = [
    "ALTER TABLE event DROP COLUMN IF EXISTS search",
    "DROP FUNCTION IF EXISTS events_words_of(varchar[])",
]

forwards = sql_migration(ID, "events", DESCRIPTION, STATEMENTS, UNDO)
