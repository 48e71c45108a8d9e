"""What bench/bench_feeds.py serves: one organization's public events, written in Kazakh,
Russian and English as organizers write them, inserted with COPY (with their occurrence rows);
and a person registered, over the API, for events made over the API, with a private feed.

The texts are drawn from a fixed seed, so every run serves the same calendar (but for the ids
and the dates, which follow the day it runs).
"""

from __future__ import annotations

import datetime as dt
import random
import urllib.parse
import uuid
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

import asyncpg
import httpx

#: (kk, ru, en) of each text, so that an event says the same in its three languages
ORGANIZATION = (
    "Astana Hub халықаралық технопаркі",
    "Международный технопарк Astana Hub",
    "Astana Hub International Technopark",
)

TOPICS = [
    ("Жасанды интеллект", "Искусственный интеллект", "Artificial intelligence"),
    ("Деректерді талдау", "Анализ данных", "Data analysis"),
    ("Киберқауіпсіздік", "Кибербезопасность", "Cybersecurity"),
    ("Бұлттық технологиялар", "Облачные технологии", "Cloud technologies"),
    ("Цифрлық үкімет", "Цифровое правительство", "Digital government"),
    ("Машиналық оқыту", "Машинное обучение", "Machine learning"),
    ("Робототехника", "Робототехника", "Robotics"),
    ("Қаржы технологиялары", "Финансовые технологии", "Financial technology"),
    ("Ақылды қала", "Умный город", "Smart cities"),
    ("Цифрлық денсаулық сақтау", "Цифровое здравоохранение", "Digital health"),
    ("Агроөнеркәсіптегі жасанды интеллект", "ИИ в агропромышленности", "AI in agriculture"),
    ("Үлкен тілдік модельдер", "Большие языковые модели", "Large language models"),
    ("Компьютерлік көру", "Компьютерное зрение", "Computer vision"),
    ("Цифрлық сауаттылық", "Цифровая грамотность", "Digital literacy"),
    ("Қазақ тіліндегі NLP", "NLP для казахского языка", "NLP for the Kazakh language"),
    ("EdTech және білім беру", "EdTech и образование", "EdTech and education"),
]
KINDS = {
    "forum": ("форумы", "форум", "forum"),
    "conference": ("конференциясы", "конференция", "conference"),
    "exhibition": ("көрмесі", "выставка", "exhibition"),
    "hackathon": ("хакатоны", "хакатон", "hackathon"),
    "training": ("оқу курсы", "обучающий курс", "training course"),
    "meetup": ("кездесуі", "митап", "meetup"),
    "webinar": ("вебинары", "вебинар", "webinar"),
    "competition": ("байқауы", "конкурс", "competition"),
}
RECURRING_KINDS = ("meetup", "training", "webinar")


@dataclass(frozen=True)
class City:
    region: str
    time_zone: str
    latitude: float
    longitude: float
    name: tuple[str, str, str]
    venue: tuple[str, str, str]
    address: tuple[str, str, str]


CITIES = [
    City("astana", "Asia/Almaty", 51.0890, 71.4160, ("Астана", "Астана", "Astana"),
         ("Astana Hub, конгресс-залы", "Astana Hub, конгресс-зал", "Astana Hub, Congress Hall"),
         ("Мәңгілік Ел даңғылы, 55/8", "проспект Мангилик Ел, 55/8", "55/8 Mangilik El Avenue")),
    City("almaty", "Asia/Almaty", 43.2220, 76.8512, ("Алматы", "Алматы", "Almaty"),
         ("Almaty Tech Garden", "Almaty Tech Garden", "Almaty Tech Garden"),
         ("Әл-Фараби даңғылы, 17", "проспект аль-Фараби, 17", "17 Al-Farabi Avenue")),
    City("shymkent", "Asia/Almaty", 42.3417, 69.5901, ("Шымкент", "Шымкент", "Shymkent"),
         ("Шымкент IT-хабы", "IT-хаб Шымкента", "Shymkent IT Hub"),
         ("Тәуке хан даңғылы, 5", "проспект Тауке хана, 5", "5 Tauke Khan Avenue")),
    City("karaganda", "Asia/Almaty", 49.8047, 73.1094, ("Қарағанды", "Караганда", "Karaganda"),
         ("Қарағанды техникалық университеті", "Карагандинский технический университет",
          "Karaganda Technical University"),
         ("Н. Назарбаев даңғылы, 56", "проспект Н. Назарбаева, 56", "56 N. Nazarbayev Avenue")),
    City("pavlodar", "Asia/Almaty", 52.2873, 76.9674, ("Павлодар", "Павлодар", "Pavlodar"),
         ("Торайғыров университеті", "Университет Торайгырова", "Toraighyrov University"),
         ("Ломов көшесі, 64", "улица Ломова, 64", "64 Lomov Street")),
    City("aktobe", "Asia/Aqtobe", 50.2839, 57.1670, ("Ақтөбе", "Актобе", "Aktobe"),
         ("Ақтөбе IT-хабы", "IT-хаб Актобе", "Aktobe IT Hub"),
         ("Әбілқайыр хан даңғылы, 40", "проспект Абулхаир хана, 40", "40 Abulkhair Khan Avenue")),
    City("atyrau", "Asia/Atyrau", 47.0945, 51.9238, ("Атырау", "Атырау", "Atyrau"),
         ("Атырау университеті", "Атырауский университет", "Atyrau University"),
         ("Студенттік даңғылы, 1", "Студенческий проспект, 1", "1 Studenchesky Avenue")),
    City("mangystau", "Asia/Aqtau", 43.6500, 51.1600, ("Ақтау", "Актау", "Aktau"),
         ("Каспий технопаркі", "Каспийский технопарк", "Caspian Technopark"),
         ("14-шағын аудан, 1", "14-й микрорайон, 1", "1, 14th Microdistrict")),
    City("kostanay", "Asia/Qostanay", 53.2198, 63.6354, ("Қостанай", "Костанай", "Kostanay"),
         ("Қостанай цифрлық орталығы", "Цифровой центр Костаная", "Kostanay Digital Centre"),
         ("Байтұрсынов көшесі, 47", "улица Байтурсынова, 47", "47 Baitursynov Street")),
    City("west-kazakhstan", "Asia/Oral", 51.2278, 51.3865, ("Орал", "Уральск", "Oral"),
         ("Орал IT-хабы", "IT-хаб Уральска", "Oral IT Hub"),
         ("Достық даңғылы, 186", "проспект Достык, 186", "186 Dostyk Avenue")),
    City("kyzylorda", "Asia/Qyzylorda", 44.8488, 65.4823, ("Қызылорда", "Кызылорда", "Kyzylorda"),
         ("Қорқыт Ата университеті", "Университет Коркыт Ата", "Korkyt Ata University"),
         ("Әйтеке би көшесі, 29А", "улица Айтеке би, 29А", "29A Aiteke Bi Street")),
]  # fmt: skip
#: the first sentence names the topic; the others follow in any order
OPENING = (
    "{} саласындағы сарапшылар, стартаптар мен мемлекеттік органдардың өкілдері бір алаңда"
    " жиналады.",
    "Эксперты в области «{}», стартапы и представители государственных органов соберутся на"
    " одной площадке.",
    "Experts in {}, startups and public officials meet in one place.",
)
SENTENCES = [
    ("Бағдарламада баяндамалар, панельдік пікірталастар және практикалық шеберханалар бар.",
     "В программе доклады, панельные дискуссии и практические мастер-классы.",
     "The programme has talks, panel discussions and hands-on workshops."),
    ("Қатысушылар нақты жобалардың тәжірибесімен танысып, әріптестерімен танысады.",
     "Участники познакомятся с опытом реальных проектов и установят контакты с коллегами.",
     "Participants learn from real projects and meet colleagues from across the country."),
    ("Іс-шара Цифрландыру және жасанды интеллект жылы аясында өтеді.",
     "Мероприятие проходит в рамках Года цифровизации и искусственного интеллекта.",
     "The event is part of the Year of Digitalization and Artificial Intelligence."),
    ("Қатысу тегін, алдын ала тіркелу қажет.",
     "Участие бесплатное, необходима предварительная регистрация.",
     "Participation is free; please register in advance."),
    ("Жұмыс тілдері: қазақ, орыс және ағылшын тілдері; ілеспе аударма қарастырылған.",
     "Рабочие языки: казахский, русский и английский; предусмотрен синхронный перевод.",
     "Working languages: Kazakh, Russian and English, with simultaneous interpretation."),
    ("Ноутбугіңізді ала келіңіз: тапсырмалар нақты деректер жиынтығында орындалады.",
     "Возьмите с собой ноутбук: задания выполняются на реальных наборах данных.",
     "Bring a laptop: the exercises use real data sets."),
    ("Үздік командалар Astana Hub акселерациялық бағдарламасына жолдама алады.",
     "Лучшие команды получат приглашение в акселерационную программу Astana Hub.",
     "The best teams are invited to the Astana Hub acceleration programme."),
    ("Спикерлер арасында ұлттық компаниялар мен халықаралық зертханалардың мамандары бар.",
     "Среди спикеров специалисты национальных компаний и международных лабораторий.",
     "Speakers include engineers from national companies and international laboratories."),
]  # fmt: skip
STATUS_REASONS = {
    "cancelled": (
        "Іс-шара ұйымдастырушының шешімімен тоқтатылды.",
        "Мероприятие отменено по решению организатора.",
        "The organizer has cancelled the event.",
    ),
    "postponed": (
        "Іс-шара кейінге қалдырылды, жаңа күні хабарланады.",
        "Мероприятие перенесено, новая дата будет объявлена.",
        "The event is postponed; its new date will be announced.",
    ),
}
TAGS = ["ai", "data", "startups", "education", "govtech", "security", "cloud", "students"]
LANGUAGES = ("kk", "ru", "en")


def _texts(name: str, values: tuple[str, str, str]) -> dict[str, str]:
    return {f"{name}_{language}": value for language, value in zip(LANGUAGES, values, strict=True)}


def event_fields(
    rng: random.Random, number: int, now: dt.datetime, recurring: bool
) -> dict[str, Any]:
    """One event's columns, as the event services would store them (times as instants in the
    event's zone)."""
    category = rng.choice(RECURRING_KINDS) if recurring else rng.choice(list(KINDS))
    topic = rng.choice(TOPICS)
    city = rng.choice(CITIES)
    kind = KINDS[category]
    zone = ZoneInfo(city.time_zone)
    titles = (
        f"{topic[0]} {kind[0]}: {city.name[0]}",
        f"{topic[1]}: {kind[1]} в городе {city.name[1]}",
        f"{topic[2]} {kind[2]} in {city.name[2]}",
    )
    if rng.random() < 0.1:  # written in Kazakh and Russian only: the English feed falls back
        titles = (titles[0], titles[1], "")
    others = rng.sample(SENTENCES, rng.randint(3, 6))
    descriptions = tuple(
        " ".join([OPENING[n].format(topic[n]), *(sentence[n] for sentence in others)])
        for n in range(3)
    )
    summaries = tuple(others[0][n] for n in range(3))
    event_format = rng.choices(["offline", "online", "hybrid"], [70, 15, 15])[0]
    status = rng.choices(["published", "cancelled", "postponed"], [96, 2, 2])[0]
    day = (now + dt.timedelta(days=rng.randint(-10, 420))).astimezone(zone).date()
    all_day = category == "exhibition" and not recurring
    if all_day:
        start_date, end_date = day, day + dt.timedelta(days=rng.randint(0, 2))
        starts_at = dt.datetime.combine(start_date, dt.time(), zone)
        ends_at = dt.datetime.combine(end_date + dt.timedelta(days=1), dt.time(), zone)
    else:
        start_date = end_date = None
        starts_at = dt.datetime.combine(day, dt.time(rng.randint(9, 18), rng.choice((0, 30))), zone)
        ends_at = starts_at + dt.timedelta(hours=rng.choice((1, 1.5, 2, 3, 8)))
    updated_at = now - dt.timedelta(days=rng.uniform(0, 20))
    online = event_format != "offline"
    slug = f"{category}-{topic[2].lower().replace(' ', '-')}-{number}"
    return {
        "id": uuid.uuid4(),
        "slug": slug,
        "status": status,
        **_texts("title", titles),
        **_texts("summary", summaries),
        **_texts("description", descriptions),
        "category": category,
        "tags": rng.sample(TAGS, rng.randint(1, 3)),
        "format": event_format,
        "region": None if event_format == "online" else city.region,
        **_texts("venue_name", city.venue if event_format != "online" else ("", "", "")),
        **_texts("venue_address", city.address if event_format != "online" else ("", "", "")),
        "latitude": None if event_format == "online" else city.latitude,
        "longitude": None if event_format == "online" else city.longitude,
        "online_url": f"https://meet.astanahub.kz/{slug}" if online else "",
        "time_zone": city.time_zone,
        "all_day": all_day,
        "start_date": start_date,
        "end_date": end_date,
        "starts_at": starts_at,
        "ends_at": ends_at,
        "rrule": "",
        "exdates": [],
        "series_ends_at": ends_at,
        **_texts("status_reason", STATUS_REASONS.get(status, ("", "", ""))),
        "sequence": rng.randint(0, 3),
        "created_at": updated_at - dt.timedelta(days=rng.uniform(1, 60)),
        "updated_at": updated_at,
        "published_at": updated_at,
    }


EVENT_COLUMNS = (
    "id", "organization", "slug", "status", "title_kk", "title_ru", "title_en", "summary_kk",
    "summary_ru", "summary_en", "description_kk", "description_ru", "description_en", "category",
    "tags", "format", "region", "venue_name_kk", "venue_name_ru", "venue_name_en",
    "venue_address_kk", "venue_address_ru", "venue_address_en", "latitude", "longitude",
    "online_url", "time_zone", "all_day", "start_date", "end_date", "starts_at", "ends_at",
    "rrule", "exdates", "series_ends_at", "status_reason_kk", "status_reason_ru",
    "status_reason_en", "sequence", "created_at", "updated_at", "published_at",
)  # fmt: skip
OCCURRENCE_COLUMNS = (
    "id", "event", "original_start", "starts_at", "ends_at", "overridden", "cancelled",
    "sequence", "updated_at",
)  # fmt: skip


def weekly_series(rng: random.Random, event: dict[str, Any]) -> list[tuple[Any, ...]]:
    """Make `event` a weekly series (every one or two weeks, 6 to 20 times), some with an
    EXDATE, a moved and a cancelled occurrence; its occurrence rows, as the expansion stores
    them (Kazakhstan keeps no daylight saving time: a week is always 7 × 24 hours)."""
    interval, count = rng.choice((1, 1, 2)), rng.randint(6, 20)
    event["rrule"] = f"FREQ=WEEKLY;COUNT={count}" + (
        f";INTERVAL={interval}" if interval > 1 else ""
    )
    length = event["ends_at"] - event["starts_at"]
    starts = [event["starts_at"] + dt.timedelta(weeks=interval * k) for k in range(count)]
    later = rng.sample(range(1, count), 3)
    excluded = {later[0]} if rng.random() < 0.3 else set()
    moved = later[1] if rng.random() < 0.3 else None
    cancelled = later[2] if rng.random() < 0.15 else None
    event["exdates"] = [starts[k] for k in sorted(excluded)]
    event["series_ends_at"] = starts[-1] + length
    rows = []
    for k, original in enumerate(starts):
        if k in excluded:
            continue
        shift = dt.timedelta(hours=1) if k == moved else dt.timedelta()
        changed = k in (moved, cancelled)
        rows.append(
            (uuid.uuid4(), event["id"], original, original + shift, original + shift + length,
             changed, k == cancelled, int(changed), event["updated_at"])
        )  # fmt: skip
    return rows


async def insert_organization(connection: asyncpg.Connection) -> uuid.UUID:
    organization_id = uuid.uuid4()
    await connection.execute(
        "INSERT INTO organization (id, name_kk, name_ru, name_en, kind, region)"
        " VALUES ($1, $2, $3, $4, 'tech-park', 'astana')",
        organization_id, *ORGANIZATION,
    )  # fmt: skip
    return organization_id


async def insert_events(
    connection: asyncpg.Connection, organization_id: uuid.UUID, count: int, recurring: int,
    now: dt.datetime,
) -> tuple[list[uuid.UUID], int]:  # fmt: skip
    """`count` public events of the organization, `recurring` of them weekly series, with their
    occurrences, by COPY: their ids and how many occurrences were moved or cancelled."""
    rng = random.Random(2026)
    events, occurrences = [], []
    for number in range(count):
        event = event_fields(rng, number, now, recurring=number < recurring)
        event["organization"] = organization_id
        if number < recurring:
            occurrences += weekly_series(rng, event)
        else:
            occurrences.append(
                (uuid.uuid4(), event["id"], event["starts_at"], event["starts_at"],
                 event["ends_at"], False, False, 0, event["updated_at"])
            )  # fmt: skip
        events.append(tuple(event[column] for column in EVENT_COLUMNS))
    await connection.copy_records_to_table("event", records=events, columns=EVENT_COLUMNS)
    await connection.copy_records_to_table(
        "event_occurrence", records=occurrences, columns=OCCURRENCE_COLUMNS
    )
    return [row[0] for row in events], sum(1 for row in occurrences if row[5])


# --- the person, their registrations and their private feed ---------------------------------


def _api_body(fields: dict[str, Any], organization_id: uuid.UUID) -> dict[str, Any]:
    """An event's columns as `POST /events` takes them."""
    body = {
        name: value
        for name, value in fields.items()
        if name not in {"id", "status", "sequence", "created_at", "updated_at", "published_at",
                        "series_ends_at", "exdates"} and not name.startswith("status_reason")
    }  # fmt: skip
    for name in ("starts_at", "ends_at", "start_date", "end_date"):
        if body[name] is not None:
            body[name] = body[name].isoformat()
    if body["all_day"]:
        body["starts_at"] = body["ends_at"] = None
    return {
        **{name: value for name, value in body.items() if value is not None},
        "organization_id": str(organization_id),
        "capacity": 300,
        "waitlist": True,
    }


async def register_person(
    http: httpx.AsyncClient,
    connection: asyncpg.Connection,
    organizer: Any,
    person: Any,
    count: int,
    first_number: int,
    now: dt.datetime,
) -> tuple[str, list[uuid.UUID]]:
    """`count` events created and published by the organizer (one in four a weekly series), the
    person registered for each (for a series, its third occurrence), and their private feed: its
    path, and the events it shows."""
    rng = random.Random(16)
    event_ids = []
    for number in range(count):
        series = number % 4 == 3
        fields = event_fields(rng, first_number + number, now, recurring=series)
        fields["starts_at"] = max(fields["starts_at"], now + dt.timedelta(days=7))
        fields["ends_at"] = fields["starts_at"] + dt.timedelta(hours=2)
        fields["all_day"], fields["start_date"], fields["end_date"] = False, None, None
        body = _api_body(fields, organizer.organization_id)
        if series:
            body["rrule"] = "FREQ=WEEKLY;COUNT=8"
        created = await http.post("/events", json=body, headers=organizer.headers)
        assert created.status_code == 201, created.text
        event_id = created.json()["id"]
        published = await http.post(f"/events/{event_id}/publish", headers=organizer.headers)
        assert published.status_code == 200, published.text
        registration: dict[str, Any] = {}
        if series:
            occurrences = await connection.fetch(
                "SELECT id FROM event_occurrence WHERE event = $1 ORDER BY original_start",
                uuid.UUID(event_id),
            )
            registration["occurrence_id"] = str(occurrences[2]["id"])
        registered = await http.post(
            f"/events/{event_id}/registrations", json=registration, headers=person.headers
        )
        assert registered.status_code == 201, registered.text
        event_ids.append(uuid.UUID(event_id))
    address = await http.post("/me/calendar-feed", headers=person.headers)
    assert address.status_code == 201, address.text
    return urllib.parse.urlsplit(address.json()["https_url"]).path, event_ids
