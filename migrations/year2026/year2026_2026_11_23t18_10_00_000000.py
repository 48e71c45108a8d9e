"""Constraints Piccolo's columns cannot express: composite uniques, a case-insensitive email."""

from year2026.raw_migrations import sql_migration

ID = "2026-11-23T18:10:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "constraints and indexes piccolo cannot express"

STATEMENTS = [
    "CREATE UNIQUE INDEX person_email_lower_key ON person (lower(email)) WHERE email IS NOT NULL",
    "ALTER TABLE person ADD CONSTRAINT person_birth_year_range"
    " CHECK (birth_year IS NULL OR birth_year BETWEEN 1900 AND 2100)",
    "ALTER TABLE oidc_identity ADD CONSTRAINT oidc_identity_issuer_subject_key"
    " UNIQUE (issuer, subject)",
    "CREATE INDEX oidc_identity_person_idx ON oidc_identity (person)",
    "CREATE INDEX refresh_token_person_idx ON refresh_token (person)",
    "ALTER TABLE membership ADD CONSTRAINT membership_organization_person_key"
    " UNIQUE (organization, person)",
    "CREATE INDEX membership_person_idx ON membership (person)",
    "ALTER TABLE role_grant ADD CONSTRAINT role_grant_person_role_key UNIQUE (person, role)",
]

UNDO = ["DROP INDEX IF EXISTS person_email_lower_key"]

forwards = sql_migration(ID, "year2026", DESCRIPTION, STATEMENTS, UNDO)
