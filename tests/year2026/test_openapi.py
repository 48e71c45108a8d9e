"""The schema says what the API does: which operations need a token, which values are accepted."""

from __future__ import annotations

from typing import Any

import httpx

OPERATIONS = ("get", "put", "post", "patch", "delete")
BEARER = [{"bearer": []}]


async def openapi_document(client: httpx.AsyncClient) -> dict[str, Any]:
    response = await client.get("/schema/openapi.json")
    assert response.status_code == 200
    document: dict[str, Any] = response.json()
    return document


def resolve(document: dict[str, Any], schema: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in schema:
        name = schema["$ref"].removeprefix("#/components/schemas/")
        schema = document["components"]["schemas"][name]
    return schema


async def test_only_operations_that_read_a_token_need_one(client: httpx.AsyncClient) -> None:
    document = await openapi_document(client)
    security = {
        f"{method.upper()} {path}": operation.get("security")
        for path, item in document["paths"].items()
        for method, operation in item.items()
        if method in OPERATIONS
    }
    assert security == {
        "GET /healthz": None,
        "GET /readyz": None,
        "GET /.well-known/jwks.json": None,
        "GET /regions": None,
        # these answer 401 for bad credentials, but take no bearer token
        "POST /auth/sign-up": None,
        "POST /auth/sign-in": None,
        "POST /auth/refresh": None,
        "POST /auth/sign-out": None,
        "GET /auth/oidc/start": None,
        "GET /auth/oidc/callback": [{}],
        "POST /auth/sign-out-everywhere": BEARER,
        "GET /me": BEARER,
        "PATCH /me": BEARER,
        "DELETE /me": BEARER,
        "GET /me/export": BEARER,
        "GET /me/sessions": BEARER,
        "GET /organizations": None,
        "POST /organizations": BEARER,
        "GET /organizations/{organization_id}": None,
        "PATCH /organizations/{organization_id}": BEARER,
        "GET /organizations/{organization_id}/members": BEARER,
        "POST /organizations/{organization_id}/members": BEARER,
        "DELETE /organizations/{organization_id}/members/{person_id}": BEARER,
        "GET /admin/people": BEARER,
        "POST /admin/people/{person_id}/roles": BEARER,
        "DELETE /admin/people/{person_id}/roles/{role}": BEARER,
        # public, and a draft's for its organizers when they send their token
        "GET /events/{event}/programme": [{}, *BEARER],
        "GET /events/{event}/sessions": [{}, *BEARER],
        "GET /sessions/{session_id}": [{}, *BEARER],
        "POST /events/{event}/sessions": BEARER,
        "PATCH /events/{event}/sessions/{session_id}": BEARER,
        "POST /events/{event}/sessions/{session_id}/cancel": BEARER,
        "POST /events/{event}/tracks": BEARER,
        "PATCH /events/{event}/tracks/{track_id}": BEARER,
        "DELETE /events/{event}/tracks/{track_id}": BEARER,
        "POST /events/{event}/rooms": BEARER,
        "PATCH /events/{event}/rooms/{room_id}": BEARER,
        "DELETE /events/{event}/rooms/{room_id}": BEARER,
        "POST /events/{event}/speakers": BEARER,
        "PATCH /events/{event}/speakers/{speaker_id}": BEARER,
        "DELETE /events/{event}/speakers/{speaker_id}": BEARER,
        "GET /admin/audit": BEARER,
        # the calendar reads a token (if one is sent) only to show drafts to their organizers
        "GET /events": [{}, *BEARER],
        "GET /events/{event}": [{}, *BEARER],
        "GET /events/{event}/record": BEARER,
        "POST /events": BEARER,
        "PATCH /events/{event}": BEARER,
        "POST /events/{event}/publish": BEARER,
        "POST /events/{event}/postpone": BEARER,
        "POST /events/{event}/cancel": BEARER,
        "PATCH /events/{event}/occurrences/{occurrence_id}": BEARER,
        "POST /events/{event}/registrations": BEARER,
        "GET /events/{event}/registrations": BEARER,
        "GET /events/{event}/registrations.csv": BEARER,
        "DELETE /events/{event}/registrations/{registration}": BEARER,
        "GET /me/registrations": BEARER,
        "GET /me/registrations/{registration}": BEARER,
        "DELETE /me/registrations/{registration}": BEARER,
        "POST /me/registrations/{registration}/accept": BEARER,
        "POST /events/{event}/check-ins": BEARER,
        "POST /events/{event}/check-ins/batch": BEARER,
        "DELETE /events/{event}/check-ins/{registration}": BEARER,
        "GET /events/{event}/check-in-list": BEARER,
        # the catalogue reads a token (if one is sent) only to show drafts to their providers
        "GET /courses": [{}, *BEARER],
        "GET /courses/{course}": [{}, *BEARER],
        "GET /courses/{course}/structure": BEARER,
        "POST /courses": BEARER,
        "PATCH /courses/{course}": BEARER,
        "POST /courses/{course}/publish": BEARER,
        "POST /courses/{course}/archive": BEARER,
        "POST /courses/{course}/modules": BEARER,
        "PATCH /courses/{course}/modules/{module_id}": BEARER,
        "DELETE /courses/{course}/modules/{module_id}": BEARER,
        "PUT /courses/{course}/module-order": BEARER,
        "POST /courses/{course}/modules/{module_id}/lessons": BEARER,
        "PUT /courses/{course}/modules/{module_id}/lesson-order": BEARER,
        "PATCH /courses/{course}/lessons/{lesson_id}": BEARER,
        "DELETE /courses/{course}/lessons/{lesson_id}": BEARER,
        "POST /courses/{course}/lessons/{lesson_id}/questions": BEARER,
        "PUT /courses/{course}/lessons/{lesson_id}/question-order": BEARER,
        "PATCH /courses/{course}/questions/{question_id}": BEARER,
        "DELETE /courses/{course}/questions/{question_id}": BEARER,
        # calendar apps hold no token: the feeds need none (a private feed's address is its key)
        "GET /feeds/events.ics": None,
        "GET /feeds/events/{file}": None,
        "GET /feeds/sessions/{file}": None,
        "GET /feeds/private/{file}": None,
        "GET /me/calendar-feed": BEARER,
        "POST /me/calendar-feed": BEARER,
        "PATCH /me/calendar-feed": BEARER,
        "DELETE /me/calendar-feed": BEARER,
        # cohorts and their classes: public when their course is; changes for its provider
        "POST /courses/{course}/cohorts": BEARER,
        "GET /cohorts/{cohort}": [{}, *BEARER],
        "GET /cohorts/{cohort}/record": BEARER,
        "PATCH /cohorts/{cohort}": BEARER,
        "POST /cohorts/{cohort}/cancel": BEARER,
        "GET /cohorts/{cohort}/instructors": BEARER,
        "PUT /cohorts/{cohort}/instructors/{person_id}": BEARER,
        "DELETE /cohorts/{cohort}/instructors/{person_id}": BEARER,
        "GET /cohorts/{cohort}/classes": [{}, *BEARER],
        "POST /cohorts/{cohort}/classes": BEARER,
        "GET /cohorts/{cohort}/classes/{class_id}": BEARER,
        "PATCH /cohorts/{cohort}/classes/{class_id}": BEARER,
        "POST /cohorts/{cohort}/classes/{class_id}/cancel": BEARER,
        "GET /cohorts/{cohort}/enrolments": BEARER,
        "GET /cohorts/{cohort}/enrolments.csv": BEARER,
        "GET /cohorts/{cohort}/attendance": BEARER,
        "GET /cohorts/{cohort}/attendance.csv": BEARER,
        "GET /courses/{course}/enrolments": BEARER,
        "GET /courses/{course}/enrolments.csv": BEARER,
        "GET /me/courses": BEARER,
        "GET /me/enrolments/{enrolment}/lessons/{lesson}": BEARER,
        "POST /me/enrolments/{enrolment}/lessons/{lesson}/done": BEARER,
        "POST /me/enrolments/{enrolment}/lessons/{lesson}/attempts": BEARER,
        "PUT /cohorts/{cohort}/classes/{class_id}/attendance": BEARER,
        "PUT /cohorts/{cohort}/enrolments/{enrolment}/lessons/{lesson}": BEARER,
        # enrolment: a person's own
        "POST /cohorts/{cohort}/enrolments": BEARER,
        "POST /courses/{course}/enrolments": BEARER,
        "GET /me/enrolments/{enrolment}": BEARER,
        "POST /me/enrolments/{enrolment}/withdraw": BEARER,
    }


async def test_role_operations_offer_only_grantable_roles(client: httpx.AsyncClient) -> None:
    document = await openapi_document(client)
    grant = document["paths"]["/admin/people/{person_id}/roles"]["post"]
    body = resolve(document, grant["requestBody"]["content"]["application/json"]["schema"])
    revoke = document["paths"]["/admin/people/{person_id}/roles/{role}"]["delete"]
    (role_in_path,) = [item for item in revoke["parameters"] if item["name"] == "role"]

    assert resolve(document, body["properties"]["role"])["enum"] == ["staff", "admin"]
    assert resolve(document, role_in_path["schema"])["enum"] == ["staff", "admin"]
