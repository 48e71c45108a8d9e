"""Demo events for the one-command run, made through the same services an organizer uses and
loaded idempotently (an event whose slug exists is left as it is). Marked as demo content.

GITEX Central Asia 2026 leads, as a multi-day forum; a dozen other events of the Year of
Digitalization and AI follow across regions and online: hackathons, webinars, a weekly AI
Movement meetup in Shymkent, one cancelled, one postponed, and some written in one language only,
so that the language fallback shows.
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

import msgspec

from events import services
from events.enums import EventCategory, EventFormat
from events.programme_demo import load_demo_programme
from events.schemas import EventCreate, Postponement, StatusReason
from events.tables import Event
from year2026.people.enums import Region

GITEX_SLUG = "gitex-central-asia-2026"


def wall(year: int, month: int, day: int, hour: int, minute: int) -> dt.datetime:
    """A wall-clock time, read in the event's own zone (no offset on purpose)."""
    return dt.datetime(year, month, day, hour, minute)  # noqa: DTZ001


def _event(**fields: Any) -> dict[str, Any]:
    return fields


#: (fields, what happens after publishing: None, "cancel" or "postpone")
DEMO_EVENTS: list[tuple[dict[str, Any], str | None]] = [
    (
        _event(
            slug=GITEX_SLUG,
            title_kk="GITEX Central Asia 2026",
            title_ru="GITEX Central Asia 2026",
            title_en="GITEX Central Asia 2026",
            summary_kk="Орталық Азияның ең ірі технологиялық көрмесі мен форумы: жасанды интеллект,"
            " киберқауіпсіздік, финтех, стартаптар.",
            summary_ru="Крупнейшая технологическая выставка и форум Центральной Азии: искусственный"
            " интеллект, кибербезопасность, финтех, стартапы.",
            summary_en="Central Asia's largest technology exhibition and forum: artificial"
            " intelligence, cybersecurity, fintech and startups.",
            description_kk="Цифрландыру және жасанды интеллект жылының басты оқиғасы.",
            description_ru="Главное событие Года цифровизации и искусственного интеллекта.",
            description_en="The flagship event of the Year of Digitalization and Artificial"
            " Intelligence.",
            category=EventCategory.FORUM,
            tags=["ai", "gitex", "startups", "cybersecurity", "fintech"],
            format=EventFormat.HYBRID,
            region=Region.ASTANA,
            venue_name_kk="EXPO конгресс-орталығы",
            venue_name_ru="Конгресс-центр EXPO",
            venue_name_en="EXPO Congress Centre",
            venue_address_kk="Астана, Мәңгілік Ел даңғылы, 53/1",
            venue_address_ru="Астана, проспект Мангилик Ел, 53/1",
            venue_address_en="53/1 Mangilik Yel Avenue, Astana",
            latitude=51.0899,
            longitude=71.4158,
            online_url="https://gitexcentralasia.com/live",
            website="https://gitexcentralasia.com",
            all_day=True,
            start_date=dt.date(2026, 12, 9),
            end_date=dt.date(2026, 12, 11),
            capacity=5000,
        ),
        None,
    ),
    (
        _event(
            slug="ai-movement-meetup-shymkent",
            title_kk="AI Movement: Шымкенттегі апталық кездесу",
            title_ru="AI Movement: еженедельная встреча в Шымкенте",
            summary_kk="Жасанды интеллектті үйренушілер мен практиктердің апталық кездесуі.",
            summary_ru="Еженедельная встреча тех, кто изучает и применяет искусственный интеллект.",
            category=EventCategory.MEETUP,
            tags=["ai-movement", "meetup"],
            format=EventFormat.OFFLINE,
            region=Region.SHYMKENT,
            venue_name_kk="Shymkent IT Hub",
            venue_name_ru="Shymkent IT Hub",
            time_zone="Asia/Almaty",
            starts_at=wall(2026, 9, 1, 18, 30),
            ends_at=wall(2026, 9, 1, 20, 30),
            rrule="FREQ=WEEKLY;BYDAY=TU",
            exdates=[wall(2026, 12, 29, 18, 30)],
        ),
        None,
    ),
    (
        _event(
            slug="agro-ai-hackathon-kostanay-2027",
            title_kk="Agro AI хакатоны",
            title_ru="Хакатон Agro AI",
            title_en="Agro AI Hackathon",
            summary_ru="48 часов на решения ИИ для сельского хозяйства Северного Казахстана.",
            summary_en="48 hours to build AI for the farms of northern Kazakhstan.",
            category=EventCategory.HACKATHON,
            tags=["hackathon", "agro", "ai"],
            format=EventFormat.OFFLINE,
            region=Region.KOSTANAY,
            venue_name_ru="Костанайский региональный университет",
            all_day=True,
            start_date=dt.date(2027, 1, 22),
            end_date=dt.date(2027, 1, 24),
        ),
        None,
    ),
    (
        _event(
            slug="generative-ai-in-public-services-webinar",
            title_en="Generative AI in public services",
            summary_en="How eGov teams use large language models safely: a practical webinar.",
            category=EventCategory.WEBINAR,
            tags=["webinar", "egov", "llm"],
            format=EventFormat.ONLINE,
            online_url="https://events.example.kz/genai-public-services",
            starts_at=wall(2026, 12, 15, 15, 0),
            ends_at=wall(2026, 12, 15, 16, 30),
        ),
        None,
    ),
    (
        _event(
            slug="digital-literacy-for-seniors-webinar",
            title_ru="Цифровая грамотность для старшего поколения",
            summary_ru="Госуслуги онлайн, безопасные платежи и защита от мошенников.",
            category=EventCategory.WEBINAR,
            tags=["webinar", "digital-literacy"],
            format=EventFormat.ONLINE,
            online_url="https://events.example.kz/digital-literacy",
            starts_at=wall(2026, 12, 17, 11, 0),
            ends_at=wall(2026, 12, 17, 12, 0),
        ),
        None,
    ),
    (
        _event(
            slug="ai-and-kazakh-language-seminar-turkistan",
            title_kk="Жасанды интеллект және қазақ тілі",
            summary_kk="Қазақ тіліндегі тілдік модельдер: деректер, сапа, қолдану.",
            category=EventCategory.CONFERENCE,
            tags=["nlp", "kazakh"],
            format=EventFormat.OFFLINE,
            region=Region.TURKISTAN,
            venue_name_kk="Қожа Ахмет Ясауи университеті",
            starts_at=wall(2026, 12, 18, 10, 0),
            ends_at=wall(2026, 12, 18, 17, 0),
            capacity=120,
            offer_hours=24,
        ),
        None,
    ),
    (
        _event(
            slug="digital-almaty-2027",
            title_kk="Digital Almaty 2027",
            title_ru="Digital Almaty 2027",
            title_en="Digital Almaty 2027",
            summary_kk="Цифрлық экономика бойынша халықаралық форум.",
            summary_ru="Международный форум по цифровой экономике.",
            summary_en="An international forum on the digital economy.",
            category=EventCategory.CONFERENCE,
            tags=["digital-economy", "forum"],
            format=EventFormat.HYBRID,
            region=Region.ALMATY,
            venue_name_ru="Almaty Arena",
            venue_name_en="Almaty Arena",
            online_url="https://events.example.kz/digital-almaty/live",
            all_day=True,
            start_date=dt.date(2027, 2, 3),
            end_date=dt.date(2027, 2, 4),
        ),
        None,
    ),
    (
        _event(
            slug="data-science-bootcamp-karaganda",
            title_kk="Data Science буткемпі",
            title_ru="Буткемп по Data Science",
            summary_ru="Две недели интенсивной практики: Python, статистика, машинное обучение.",
            category=EventCategory.TRAINING,
            tags=["training", "data-science", "python"],
            format=EventFormat.HYBRID,
            region=Region.KARAGANDA,
            venue_name_ru="Карагандинский технический университет",
            online_url="https://events.example.kz/ds-bootcamp",
            all_day=True,
            start_date=dt.date(2027, 1, 11),
            end_date=dt.date(2027, 1, 22),
        ),
        None,
    ),
    (
        _event(
            slug="school-ai-olympiad-2027",
            title_kk="Мектеп оқушыларына арналған жасанды интеллект олимпиадасы",
            title_ru="Олимпиада школьников по искусственному интеллекту",
            title_en="AI Olympiad for school pupils",
            category=EventCategory.COMPETITION,
            tags=["olympiad", "school", "ai"],
            format=EventFormat.OFFLINE,
            region=Region.ASTANA,
            venue_name_kk="Назарбаев Зияткерлік мектебі",
            venue_name_ru="Назарбаев Интеллектуальная школа",
            starts_at=wall(2027, 3, 14, 9, 0),
            ends_at=wall(2027, 3, 14, 16, 0),
        ),
        None,
    ),
    (
        _event(
            slug="smart-city-expo-aktobe",
            title_ru="Smart City Expo Актобе",
            title_en="Smart City Expo Aktobe",
            category=EventCategory.EXHIBITION,
            tags=["smart-city", "expo"],
            format=EventFormat.OFFLINE,
            region=Region.AKTOBE,
            starts_at=wall(2027, 2, 18, 10, 0),
            ends_at=wall(2027, 2, 18, 18, 0),
        ),
        None,
    ),
    (
        _event(
            slug="astana-hub-demo-day",
            title_kk="Astana Hub Demo Day",
            title_ru="Astana Hub Demo Day",
            title_en="Astana Hub Demo Day",
            summary_en="Startups of the acceleration programme show their products, on the last"
            " Friday of each month.",
            category=EventCategory.MEETUP,
            tags=["startups", "demo-day"],
            format=EventFormat.OFFLINE,
            region=Region.ASTANA,
            venue_name_en="Astana Hub, C4.6",
            starts_at=wall(2026, 12, 25, 16, 0),
            ends_at=wall(2026, 12, 25, 19, 0),
            rrule="FREQ=MONTHLY;BYDAY=-1FR;COUNT=6",
        ),
        None,
    ),
    (
        _event(
            slug="open-data-hackathon-online",
            title_kk="Ашық деректер хакатоны",
            title_ru="Хакатон открытых данных",
            title_en="Open Data Hackathon",
            category=EventCategory.HACKATHON,
            tags=["hackathon", "open-data"],
            format=EventFormat.ONLINE,
            online_url="https://events.example.kz/open-data-hackathon",
            time_zone="Asia/Almaty",
            starts_at=wall(2027, 1, 29, 10, 0),
            ends_at=wall(2027, 1, 31, 18, 0),
        ),
        None,
    ),
    (
        _event(
            slug="cybersecurity-forum-atyrau",
            title_kk="Киберқауіпсіздік форумы",
            title_ru="Форум по кибербезопасности",
            category=EventCategory.FORUM,
            tags=["cybersecurity"],
            format=EventFormat.OFFLINE,
            region=Region.ATYRAU,
            starts_at=wall(2026, 12, 22, 10, 0),
            ends_at=wall(2026, 12, 22, 17, 0),
        ),
        "cancel",
    ),
    (
        _event(
            slug="pavlodar-it-fest",
            title_kk="Pavlodar IT Fest",
            title_ru="Pavlodar IT Fest",
            category=EventCategory.FORUM,
            tags=["it-fest"],
            format=EventFormat.OFFLINE,
            region=Region.PAVLODAR,
            starts_at=wall(2026, 12, 12, 11, 0),
            ends_at=wall(2026, 12, 12, 18, 0),
        ),
        "postpone",
    ),
]

_CANCELLED = StatusReason(
    reason_kk="Ұйымдастырушылардың шешімімен өткізілмейді.",
    reason_ru="Отменено по решению организаторов.",
    reason_en="Called off by the organizers.",
)
_POSTPONED = Postponement(
    reason_kk="Жаңа күні кейін хабарланады.",
    reason_ru="Новая дата будет объявлена позже.",
    reason_en="The new date will be announced.",
    date_to_be_announced=True,
)


async def load_demo_events(actor_id: uuid.UUID, organization_id: uuid.UUID) -> int:
    """Create and publish the demo events that are not there yet; how many were made."""
    made = 0
    for fields, afterwards in DEMO_EVENTS:
        if await Event.exists().where(Event.slug == fields["slug"]):
            continue
        data = msgspec.convert(
            {**fields, "organization_id": organization_id}, EventCreate, from_attributes=True
        )
        record = await services.create_event(actor_id, data, demo=True)
        await services.publish_event(actor_id, str(record.id))
        if afterwards == "cancel":
            await services.cancel_event(actor_id, str(record.id), _CANCELLED)
        elif afterwards == "postpone":
            await services.postpone_event(actor_id, str(record.id), _POSTPONED)
        made += 1
    await load_demo_programme(actor_id, GITEX_SLUG)  # once: left as it is when it has one
    return made
