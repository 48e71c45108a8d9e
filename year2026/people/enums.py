"""Fixed choices about people and organizations, with their names in kk/ru/en."""

from __future__ import annotations

import enum

from year2026.i18n import Language, Texts


class Region(enum.StrEnum):
    """Kazakhstan's 17 regions and 3 cities of republican significance."""

    ABAI = "abai"
    AKMOLA = "akmola"
    AKTOBE = "aktobe"
    ALMATY_REGION = "almaty-region"
    ATYRAU = "atyrau"
    EAST_KAZAKHSTAN = "east-kazakhstan"
    JAMBYL = "jambyl"
    JETISU = "jetisu"
    KARAGANDA = "karaganda"
    KOSTANAY = "kostanay"
    KYZYLORDA = "kyzylorda"
    MANGYSTAU = "mangystau"
    NORTH_KAZAKHSTAN = "north-kazakhstan"
    PAVLODAR = "pavlodar"
    TURKISTAN = "turkistan"
    ULYTAU = "ulytau"
    WEST_KAZAKHSTAN = "west-kazakhstan"
    ASTANA = "astana"
    ALMATY = "almaty"
    SHYMKENT = "shymkent"


CITIES_OF_REPUBLICAN_SIGNIFICANCE = frozenset({Region.ASTANA, Region.ALMATY, Region.SHYMKENT})


def _names(kk: str, ru: str, en: str) -> Texts:
    return {Language.KK: kk, Language.RU: ru, Language.EN: en}


REGION_NAMES: dict[Region, Texts] = {
    Region.ABAI: _names("Абай облысы", "Абайская область", "Abai Region"),
    Region.AKMOLA: _names("Ақмола облысы", "Акмолинская область", "Akmola Region"),
    Region.AKTOBE: _names("Ақтөбе облысы", "Актюбинская область", "Aktobe Region"),
    Region.ALMATY_REGION: _names("Алматы облысы", "Алматинская область", "Almaty Region"),
    Region.ATYRAU: _names("Атырау облысы", "Атырауская область", "Atyrau Region"),
    Region.EAST_KAZAKHSTAN: _names(
        "Шығыс Қазақстан облысы", "Восточно-Казахстанская область", "East Kazakhstan Region"
    ),
    Region.JAMBYL: _names("Жамбыл облысы", "Жамбылская область", "Jambyl Region"),
    Region.JETISU: _names("Жетісу облысы", "Область Жетісу", "Jetisu Region"),
    Region.KARAGANDA: _names("Қарағанды облысы", "Карагандинская область", "Karaganda Region"),
    Region.KOSTANAY: _names("Қостанай облысы", "Костанайская область", "Kostanay Region"),
    Region.KYZYLORDA: _names("Қызылорда облысы", "Кызылординская область", "Kyzylorda Region"),
    Region.MANGYSTAU: _names("Маңғыстау облысы", "Мангистауская область", "Mangystau Region"),
    Region.NORTH_KAZAKHSTAN: _names(
        "Солтүстік Қазақстан облысы", "Северо-Казахстанская область", "North Kazakhstan Region"
    ),
    Region.PAVLODAR: _names("Павлодар облысы", "Павлодарская область", "Pavlodar Region"),
    Region.TURKISTAN: _names("Түркістан облысы", "Туркестанская область", "Turkistan Region"),
    Region.ULYTAU: _names("Ұлытау облысы", "Область Ұлытау", "Ulytau Region"),
    Region.WEST_KAZAKHSTAN: _names(
        "Батыс Қазақстан облысы", "Западно-Казахстанская область", "West Kazakhstan Region"
    ),
    Region.ASTANA: _names("Астана қаласы", "город Астана", "Astana"),
    Region.ALMATY: _names("Алматы қаласы", "город Алматы", "Almaty"),
    Region.SHYMKENT: _names("Шымкент қаласы", "город Шымкент", "Shymkent"),
}


class Gender(enum.StrEnum):
    """Asked only for the ministry's statistics; never shown to anyone else."""

    FEMALE = "female"
    MALE = "male"


class Role(enum.StrEnum):
    CITIZEN = "citizen"  # everyone who has an account
    ORGANIZER = "organizer"  # a member of at least one organization, acting only for it
    STAFF = "staff"  # ministry staff: reads statistics
    ADMIN = "admin"  # grants roles, manages organizations


# What the API offers to grant and revoke, so that its schema lists only what it accepts.
class GrantableRole(enum.StrEnum):
    """A role an admin grants by hand; the others follow from an account or a membership."""

    STAFF = Role.STAFF.value
    ADMIN = Role.ADMIN.value


GRANTABLE_ROLES = frozenset(Role(role) for role in GrantableRole)


class OrganizationKind(enum.StrEnum):
    MINISTRY = "ministry"
    AKIMAT = "akimat"
    AGENCY = "agency"
    TECH_PARK = "tech-park"  # Astana Hub and the like
    COMPANY = "company"
    UNIVERSITY = "university"
    SCHOOL = "school"
    NGO = "ngo"
    OTHER = "other"


def region_entries() -> list[tuple[Region, bool, Texts]]:
    """Every region with whether it is a city of republican significance, and its names."""
    return [
        (region, region in CITIES_OF_REPUBLICAN_SIGNIFICANCE, REGION_NAMES[region])
        for region in Region
    ]
