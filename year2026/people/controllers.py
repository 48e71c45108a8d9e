"""HTTP for a person's own data and the reference lists: parse, call one service, return a
record. Sign-in, sessions and erasure are `year2026.auth.controllers`, whose `MeController`
extends this one."""

from __future__ import annotations

from typing import Any

from litestar import Controller, get, patch
from litestar.datastructures import State
from litestar.di import NamedDependency
from litestar.params import JSONBody

from year2026.guards import Principal, requires_signed_in
from year2026.i18n import Language
from year2026.patching import present_fields
from year2026.people import accounts
from year2026.people.enums import region_entries
from year2026.people.errors import PersonNotFound
from year2026.people.records import Profile, RegionEntry
from year2026.people.schemas import ProfileUpdate
from year2026.response_headers import public_cache


class MeController(Controller):
    path = "/me"
    tags = ["me"]  # noqa: RUF012

    @get(
        "/",
        guards=[requires_signed_in],
        summary="My profile, roles and organizations",
        opt={"errors": [PersonNotFound]},
    )
    async def show(self, principal: NamedDependency[Principal]) -> Profile:
        return await accounts.profile(principal.person_id)

    @patch(
        "/",
        guards=[requires_signed_in],
        summary="Change my profile",
        opt={"errors": [PersonNotFound]},
    )
    async def update(
        self, principal: NamedDependency[Principal], data: JSONBody[ProfileUpdate]
    ) -> Profile:
        return await accounts.update_profile(principal.person_id, present_fields(data))

    @get(
        "/export",
        guards=[requires_signed_in],
        summary="Everything held about me, as JSON",
        opt={"errors": [PersonNotFound]},
    )
    async def export(self, state: State, principal: NamedDependency[Principal]) -> dict[str, Any]:
        return await accounts.export_person(principal.person_id, state.personal_data)


class RegionsController(Controller):
    tags = ["reference"]  # noqa: RUF012

    @get(
        "/regions",
        summary="Kazakhstan's regions and cities, with names in kk/ru/en",
        cache_control=public_cache(3600),
    )
    async def regions(self) -> list[RegionEntry]:
        return [
            RegionEntry(
                code=region,
                is_city=is_city,
                name_kk=names[Language.KK],
                name_ru=names[Language.RU],
                name_en=names[Language.EN],
            )
            for region, is_city, names in region_entries()
        ]
