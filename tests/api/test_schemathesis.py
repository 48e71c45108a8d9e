"""The API fuzzing gate: every operation in the OpenAPI schema, ~100 generated requests each
(valid and invalid), against the API running as its own process on the real servers. Any 5xx, any
response that breaks the schema, any invalid request accepted or valid one refused fails it.

Each generated request is made by a fresh admin (a person inserted for it, with an organization
and an audit entry, and a token signed by the server's own keys, in place of the made-up token a
valid case carries), so that guarded operations are exercised for real and an operation like
`DELETE /me` or sign-out-everywhere cannot spoil the requests after it. Path parameters that
name an organization or a person, an event and the parts of its programme, or a course, a cohort
and an enrolment, are often pointed at real ones, so that operations are exercised beyond 404.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import random
import threading
import uuid
from collections.abc import Callable, Coroutine, Iterator
from pathlib import Path
from typing import Any, TypeVar

import asyncpg
import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis import GenerationMode
from schemathesis.checks import CheckContext
from schemathesis.core.parameters import ParameterLocation
from schemathesis.core.transport import Response
from schemathesis.specs.openapi.checks import positive_data_acceptance
from schemathesis.transport.prepare import prepare_headers

from tests.support.server import ServerSet, free_port, running_api
from year2026.app import create_app
from year2026.auth.keys import load_signing_keys
from year2026.auth.tokens import issue_access_token
from year2026.settings import Settings, load_settings

T = TypeVar("T")
#: a generator of our own: Hypothesis seeds the global `random` afresh for every example, so
#: `random.random()` would give the same number each time (and never point at a real record)
_chance = random.Random(2026)

# The schema is what the app factory builds, read in-process; the requests go over HTTP to the
# running process. (A lazy fixture-based schema trips over pytest 9's node ids.)
schema = schemathesis.openapi.from_dict(create_app(load_settings({})).openapi_schema.to_schema())


def run_in_thread(coroutine: Coroutine[Any, Any, T]) -> T:
    """Run a coroutine to the end on a loop of its own (the test itself is synchronous)."""
    result: list[T] = []
    thread = threading.Thread(target=lambda: result.append(asyncio.run(coroutine)))
    thread.start()
    thread.join()
    return result[0]


class Fuzzing:
    """The live API and what the generated requests need: real people and organizations."""

    def __init__(self, base_url: str, server_settings: Settings, database_url: str) -> None:
        self.base_url = base_url
        self.settings = server_settings
        self.keys = load_signing_keys(server_settings)
        self.database_url = database_url
        self.organization_ids: list[str] = []
        self.person_ids: list[str] = []
        #: a public event (by slug and by id) and its programme: path parameter → real values
        self.programme: dict[str, list[str]] = {}
        #: per listing operation, the last `next_cursor` it handed out
        self.cursors: dict[str, str] = {}

    async def _insert_admin(self) -> uuid.UUID:
        person_id = uuid.uuid4()
        connection = await asyncpg.connect(self.database_url)
        try:
            async with connection.transaction():
                await connection.execute(
                    "INSERT INTO person (id, email, display_name, preferred_language,"
                    " created_at, updated_at) VALUES ($1, $2, 'Fuzz', 'en', now(), now())",
                    person_id,
                    f"fuzz-{person_id.hex}@example.kz",
                )
                await connection.execute(
                    "INSERT INTO role_grant (id, person, role, granted_at)"
                    " VALUES ($1, $2, 'admin', now())",
                    uuid.uuid4(),
                    person_id,
                )
                organization_id = uuid.uuid4()
                await connection.execute(
                    "INSERT INTO organization (id, name_kk, name_ru, name_en, kind, website,"
                    " created_at) VALUES ($1, 'Ұйым', 'Организация', 'Organization', 'ngo', '',"
                    " now())",
                    organization_id,
                )
                await connection.execute(
                    "INSERT INTO membership (id, organization, person, added_at)"
                    " VALUES ($1, $2, $3, now())",
                    uuid.uuid4(),
                    organization_id,
                    person_id,
                )
                # so that the audit log's listing has entries (with before and after) to show
                await connection.execute(
                    "INSERT INTO audit_entry (actor, action, object_type, object_id, after)"
                    " VALUES ($1, 'organization.create', 'organization', $2, $3::jsonb)",
                    person_id,
                    str(organization_id),
                    '{"name_en": "Organization", "kind": "ngo", "region": null}',
                )
        finally:
            await connection.close()
        self.organization_ids.append(str(organization_id))
        self.person_ids.append(str(person_id))
        return person_id

    async def insert_event_with_programme(self) -> None:
        """A published event of an organization of its own, with a track, a room, a speaker and
        a session of that speaker in them."""
        organization_id, event_id = uuid.uuid4(), uuid.uuid4()
        track_id, room_id, speaker_id, session_id = (uuid.uuid4() for _ in range(4))
        starts = dt.datetime(2027, 10, 13, 4, 0, tzinfo=dt.UTC)
        occurrence_id, person_id, registration_id = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
        ends = starts + dt.timedelta(days=2, hours=9)
        connection = await asyncpg.connect(self.database_url)
        try:
            async with connection.transaction():
                await connection.execute(
                    "INSERT INTO organization (id, name_kk, name_ru, name_en, kind, website,"
                    " created_at) VALUES ($1, 'Ұйым', 'Организация', 'Organization', 'ngo', '',"
                    " now())",
                    organization_id,
                )
                await connection.execute(
                    "INSERT INTO event (id, organization, slug, status, title_en, category,"
                    " format, region, starts_at, ends_at) VALUES ($1, $2, 'fuzzing-gitex-2026',"
                    " 'published', 'GITEX Central Asia 2026', 'forum', 'offline', 'almaty', $3,"
                    " $4)",
                    event_id,
                    organization_id,
                    starts,
                    ends,
                )
                await connection.execute(
                    "INSERT INTO event_occurrence (id, event, original_start, starts_at, ends_at)"
                    " VALUES ($1, $2, $3, $3, $4)",
                    occurrence_id,
                    event_id,
                    starts,
                    ends,
                )
                # its seats, taken by one person: registrations to read, cancel and check in
                await connection.execute(
                    "INSERT INTO seat_pool (id, capacity, open, closes_at) VALUES ($1, 100, true,"
                    " $2)",
                    occurrence_id,
                    starts,
                )
                await connection.execute(
                    "INSERT INTO person (id, email, display_name, preferred_language,"
                    " created_at, updated_at) VALUES ($1, $2, 'Guest', 'kk', now(), now())",
                    person_id,
                    f"guest-{person_id.hex}@example.kz",
                )
                await connection.execute(
                    "INSERT INTO seat_claim (id, pool, person, status, confirmed_at)"
                    " VALUES ($1, $2, $3, 'confirmed', now())",
                    registration_id,
                    occurrence_id,
                    person_id,
                )
                await connection.execute(
                    "UPDATE seat_pool SET taken = 1 WHERE id = $1", occurrence_id
                )
                await connection.execute(
                    "INSERT INTO event_registration (id, event, occurrence, person, ticket_code)"
                    " VALUES ($1, $2, $3, $4, 'FUZZ-0001')",
                    registration_id,
                    event_id,
                    occurrence_id,
                    person_id,
                )
                for table, item_id, column, value in (
                    ("event_track", track_id, "name_en", "AI"),
                    ("event_room", room_id, "name_en", "Hall A"),
                    ("event_speaker", speaker_id, "name", "Aigerim"),
                ):
                    await connection.execute(
                        f"INSERT INTO {table} (id, event, {column}) VALUES ($1, $2, $3)",  # noqa: S608
                        item_id,
                        event_id,
                        value,
                    )
                await connection.execute(
                    "INSERT INTO event_session (id, event, title_en, starts_at, ends_at, room,"
                    " track) VALUES ($1, $2, 'Keynote', $3, $4, $5, $6)",
                    session_id,
                    event_id,
                    starts + dt.timedelta(hours=1),
                    starts + dt.timedelta(hours=2),
                    room_id,
                    track_id,
                )
                await connection.execute(
                    "INSERT INTO event_session_speaker (id, event, session, speaker)"
                    " VALUES ($1, $2, $3, $4)",
                    uuid.uuid4(),
                    event_id,
                    session_id,
                    speaker_id,
                )
        finally:
            await connection.close()
        self.programme = {
            "event": ["fuzzing-gitex-2026", str(event_id)],
            "session_id": [str(session_id)],
            "track_id": [str(track_id)],
            "room_id": [str(room_id)],
            "speaker_id": [str(speaker_id)],
            "occurrence_id": [str(occurrence_id)],
            "registration": [str(registration_id)],
        }

    async def insert_course_with_cohort(self) -> None:
        """A published cohort-taught course of an organization of its own, with a module of a
        text lesson and a final test of one question, a cohort (its pool holding one learner's
        seat), a weekly class and an attendance row."""
        organization_id, course_id, cohort_id, class_id = (uuid.uuid4() for _ in range(4))
        person_id, enrolment_id = uuid.uuid4(), uuid.uuid4()
        module_id, lesson_id, test_id, question_id = (uuid.uuid4() for _ in range(4))
        starts = dt.datetime(2027, 10, 4, 5, 0, tzinfo=dt.UTC)
        connection = await asyncpg.connect(self.database_url)
        try:
            async with connection.transaction():
                await connection.execute(
                    "INSERT INTO organization (id, name_kk, name_ru, name_en, kind, website,"
                    " created_at) VALUES ($1, 'alem.ai', 'alem.ai', 'alem.ai', 'ngo', '', now())",
                    organization_id,
                )
                await connection.execute(
                    "INSERT INTO course (id, organization, slug, status, title_en, level, format,"
                    " published_at) VALUES ($1, $2, 'fuzzing-ai-basics', 'published',"
                    " 'AI basics for everyone', 'beginner', 'cohort-online', now())",
                    course_id,
                    organization_id,
                )
                await connection.execute(
                    "INSERT INTO course_module (id, course, position, title_en)"
                    " VALUES ($1, $2, 0, 'Module')",
                    module_id,
                    course_id,
                )
                await connection.execute(
                    "INSERT INTO course_lesson (id, course, module, position, kind, title_en,"
                    " required, final, pass_mark) VALUES ($1, $3, $4, 0, 'text', 'Lesson', true,"
                    " false, NULL), ($2, $3, $4, 1, 'test', 'Final test', true, true, 50)",
                    lesson_id,
                    test_id,
                    course_id,
                    module_id,
                )
                await connection.execute(
                    "INSERT INTO course_question (id, lesson, position, text_en)"
                    " VALUES ($1, $2, 0, 'What is AI?')",
                    question_id,
                    test_id,
                )
                await connection.execute(
                    "INSERT INTO course_question_option (id, question, position, text_en, correct)"
                    " VALUES ($1, $3, 0, 'Learning from data', true), ($2, $3, 1, 'Magic', false)",
                    uuid.uuid4(),
                    uuid.uuid4(),
                    question_id,
                )
                await connection.execute(
                    "INSERT INTO course_cohort (id, course, starts_at, ends_at, online_url,"
                    " capacity) VALUES ($1, $2, $3, $4, 'https://meet.example.kz/ai', 100)",
                    cohort_id,
                    course_id,
                    starts,
                    starts + dt.timedelta(days=60),
                )
                await connection.execute(
                    "INSERT INTO seat_pool (id, capacity, open, closes_at, taken)"
                    " VALUES ($1, 100, true, $2, 1)",
                    cohort_id,
                    starts,
                )
                await connection.execute(
                    "INSERT INTO person (id, email, display_name, preferred_language,"
                    " created_at, updated_at) VALUES ($1, $2, 'Learner', 'kk', now(), now())",
                    person_id,
                    f"learner-{person_id.hex}@example.kz",
                )
                await connection.execute(
                    "INSERT INTO seat_claim (id, pool, person, status, confirmed_at)"
                    " VALUES ($1, $2, $3, 'confirmed', now())",
                    enrolment_id,
                    cohort_id,
                    person_id,
                )
                await connection.execute(
                    "INSERT INTO course_enrolment (id, course, cohort, person)"
                    " VALUES ($1, $2, $3, $4)",
                    enrolment_id,
                    course_id,
                    cohort_id,
                    person_id,
                )
                await connection.execute(
                    "INSERT INTO course_class (id, cohort, title_en, starts_at, ends_at, rrule)"
                    " VALUES ($1, $2, 'Workshop', $3, $4, 'FREQ=WEEKLY;COUNT=8')",
                    class_id,
                    cohort_id,
                    starts,
                    starts + dt.timedelta(hours=2),
                )
                await connection.execute(
                    "INSERT INTO course_class_attendance (id, cohort_class, meeting_start,"
                    " enrolment, attended, recorded_by) VALUES ($1, $2, $3, $4, true, $5)",
                    uuid.uuid4(),
                    class_id,
                    starts,
                    enrolment_id,
                    person_id,
                )
        finally:
            await connection.close()
        self.programme |= {
            "course": ["fuzzing-ai-basics", str(course_id)],
            "cohort": [str(cohort_id)],
            "class_id": [str(class_id)],
            "enrolment": [str(enrolment_id)],
            "lesson": [str(lesson_id), str(test_id)],
            "module_id": [str(module_id)],
            "lesson_id": [str(lesson_id), str(test_id)],
            "question_id": [str(question_id)],
        }

    async def insert_self_paced_course(self) -> None:
        """A published self-paced course with its pool (no limit): enrolments to make."""
        organization_id, course_id = uuid.uuid4(), uuid.uuid4()
        connection = await asyncpg.connect(self.database_url)
        try:
            async with connection.transaction():
                await connection.execute(
                    "INSERT INTO organization (id, name_kk, name_ru, name_en, kind, website,"
                    " created_at) VALUES ($1, 'alem.ai', 'alem.ai', 'alem.ai', 'ngo', '', now())",
                    organization_id,
                )
                await connection.execute(
                    "INSERT INTO course (id, organization, slug, status, title_en, level, format,"
                    " published_at) VALUES ($1, $2, 'fuzzing-prompting', 'published',"
                    " 'Prompt engineering', 'beginner', 'self-paced', now())",
                    course_id,
                    organization_id,
                )
                await connection.execute(
                    "INSERT INTO seat_pool (id, capacity, waitlist, open, closes_at)"
                    " VALUES ($1, NULL, false, true, '2100-01-01')",
                    course_id,
                )
        finally:
            await connection.close()
        self.programme["course"] += ["fuzzing-prompting", str(course_id)]

    def fresh_admin_headers(self) -> dict[str, str]:
        person_id = run_in_thread(self._insert_admin())
        roles = ["admin", "citizen", "organizer"]
        token, _ = issue_access_token(
            self.keys, self.settings, person_id, roles, dt.datetime.now(dt.UTC)
        )
        return {"Authorization": f"Bearer {token}"}

    def point_at_real_records(self, path_parameters: dict[str, Any]) -> None:
        for name, pool in (
            ("organization_id", self.organization_ids),
            ("person_id", self.person_ids),
            *self.programme.items(),
        ):
            value = path_parameters.get(name)
            # an event or a course is named by its slug or its id
            named = isinstance(value, str) and (name in ("event", "course") or _is_uuid(value))
            if pool and named and _chance.random() < 0.5:
                path_parameters[name] = _chance.choice(pool)

    def use_real_cursor(self, case: schemathesis.Case) -> None:
        """A schema can say what a cursor looks like, not which ones the listing made, so a
        made-up one that looks right is refused (400 invalid-cursor, as it must be). In a query
        meant to be valid, send a cursor the listing handed out, or none (the first page)."""
        if not isinstance(case.query, dict) or "cursor" not in case.query:
            return
        if _mutated(case, ParameterLocation.QUERY):
            return
        real = self.cursors.get(case.operation.label)
        if real is None:
            del case.query["cursor"]
        else:
            case.query["cursor"] = real

    def remember_cursor(self, case: schemathesis.Case, response: Any) -> None:
        try:
            body = response.json()
        except ValueError:
            return
        if isinstance(body, dict) and isinstance(body.get("next_cursor"), str):
            self.cursors[case.operation.label] = body["next_cursor"]


def request_headers(
    case: schemathesis.Case, our_token: Callable[[], dict[str, str]]
) -> dict[str, str]:
    """The headers to send with the case's own. A valid case carries a made-up bearer token (the
    schema says the operation takes one): replace it with a real one, or every guarded operation
    would only ever answer 401. A negative case that mutated the headers (left out or spoiled the
    token) is sent as made, or we would repair the very thing it tests."""
    headers = dict(case.headers or {})
    if not _mutated(case, ParameterLocation.HEADER):
        headers = {
            name: value for name, value in headers.items() if name.lower() != "authorization"
        }
        headers.update(our_token())
    return headers


def _mutated(case: schemathesis.Case, location: ParameterLocation) -> bool:
    """Whether a negative case was made by mutating this part of the request."""
    component = (case.meta.components if case.meta else {}).get(location)
    return component is not None and component.mode is GenerationMode.NEGATIVE


def _is_uuid(text: str) -> bool:
    try:
        uuid.UUID(text)
    except ValueError:
        return False
    return True


@pytest.fixture(scope="module")
def fuzzing(
    test_servers: ServerSet, settings: Settings, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Fuzzing]:
    port = free_port()
    environment = {
        **test_servers.environment,
        # the gate fuzzes the API, not the abuse limits (they have tests of their own)
        "YEAR2026_AUTH_RATE_PER_ADDRESS": "1000000",
        "YEAR2026_AUTH_RATE_PER_ACCOUNT": "1000000",
        "YEAR2026_AUTH_RATE_ACCOUNT_CEILING": "1000000",
    }
    log = Path(tmp_path_factory.mktemp("schemathesis")) / "api.log"
    with running_api(environment, log, port=port) as base_url:
        server_settings = load_settings({**environment, "YEAR2026_PORT": str(port)})
        fuzzing = Fuzzing(base_url, server_settings, test_servers.database_url)
        run_in_thread(fuzzing.insert_event_with_programme())
        run_in_thread(fuzzing.insert_course_with_cohort())
        run_in_thread(fuzzing.insert_self_paced_course())
        yield fuzzing


def positive_data_acceptance_within_the_rules(
    ctx: CheckContext, response: Response, case: schemathesis.Case
) -> bool | None:
    """schemathesis' check that a schema-valid request is accepted, except for what no JSON
    schema can say: an event that ends before it starts, a cancellation with no reason in any
    language. Those are 422 problems that name the rule (a `code` of their own), as the API
    documents for every operation that declares such errors; anything else is held to the
    check as it is."""
    documented = case.operation.definition.raw.get("responses", {})
    if response.status_code == 422 and "422" in documented:
        body = response.json()
        if isinstance(body, dict) and body.get("code") not in (None, "invalid-input"):
            return None
    return positive_data_acceptance(ctx, response, case)


@schema.parametrize()
@settings(
    max_examples=100,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
def test_api_honours_its_schema(case: schemathesis.Case, fuzzing: Fuzzing) -> None:
    # a negative case whose path was mutated keeps its bad path: repairing it with a real id
    # would turn the very thing it tests into a valid request
    if case.path_parameters and not _mutated(case, ParameterLocation.PATH):
        fuzzing.point_at_real_records(case.path_parameters)
    fuzzing.use_real_cursor(case)
    headers = request_headers(case, fuzzing.fresh_admin_headers)
    response = case.call_and_validate(
        base_url=fuzzing.base_url,
        headers=headers,
        excluded_checks=[positive_data_acceptance],
        additional_checks=[positive_data_acceptance_within_the_rules],
    )
    fuzzing.remember_cursor(case, response)


def test_valid_requests_carry_our_token_not_a_made_up_one() -> None:
    """Schemathesis writes an `Authorization` header of its own for a bearer scheme: a valid
    case must be sent with a real token, or every guarded operation is only ever a 401."""
    sent: list[str] = []

    @given(schema["/me"]["GET"].as_strategy(generation_mode=GenerationMode.POSITIVE))
    @settings(max_examples=10, database=None, suppress_health_check=list(HealthCheck))
    def one_request(case: schemathesis.Case) -> None:
        headers = request_headers(case, lambda: {"Authorization": "Bearer ours"})
        sent.append(prepare_headers(case, headers)["Authorization"])

    one_request()
    assert set(sent) == {"Bearer ours"}


def test_some_requests_are_pointed_at_real_records() -> None:
    """Hypothesis seeds the global `random` afresh for every example, so a choice made with it
    comes out the same in all of them."""
    fuzzing = object.__new__(Fuzzing)
    fuzzing.organization_ids, fuzzing.person_ids, fuzzing.programme = ["real"], [], {}
    pointed: list[bool] = []

    @given(st.uuids())
    @settings(max_examples=30, database=None)
    def one_request(made_up: uuid.UUID) -> None:
        parameters = {"organization_id": str(made_up)}
        fuzzing.point_at_real_records(parameters)
        pointed.append(parameters["organization_id"] == "real")

    one_request()
    assert set(pointed) == {True, False}
