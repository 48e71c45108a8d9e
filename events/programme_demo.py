"""GITEX Central Asia's demo programme for the one-command run: four tracks, four rooms, two dozen
speakers and forty sessions over the event's days, made through the organizers' own services.

Loaded once per event (an event that has sessions already is left as it is), after the event
itself (see `events.demo`). Most texts are in Kazakh, Russian and English; some are in one
language only, so that the language fallback shows.
"""

from __future__ import annotations

import datetime as dt
import itertools
import uuid
from collections.abc import Mapping
from typing import Any
from zoneinfo import ZoneInfo

from events import access, programme, programme_sessions
from events.programme_enums import SessionFormat
from events.programme_schemas import RoomCreate, SessionCreate, SpeakerCreate, TrackCreate
from events.programme_tables import Session, Track
from year2026.db import get_engine

SESSION_COUNT = 40

#: (kk, ru, en)
TRACKS = [
    ("Жасанды интеллект", "Искусственный интеллект", "Artificial intelligence"),
    ("Киберқауіпсіздік", "Кибербезопасность", "Cybersecurity"),
    ("Финтех", "Финтех", "Fintech"),
    ("GovTech және стартаптар", "GovTech и стартапы", "GovTech and startups"),
]
#: (kk, ru, en, seats)
ROOMS = [
    ("Бас сахна", "Главная сцена", "Main stage", 1500),
    ("A залы", "Зал A", "Hall A", 400),
    ("B залы", "Зал B", "Hall B", 250),
    ("Шеберхана", "Мастерская", "Workshop room", 40),
]
#: (name, affiliation kk, ru, en)
SPEAKERS = [
    ("Aigerim Bekova", "Astana Hub", "Astana Hub", "Astana Hub"),
    ("Daniyar Sadykov", "Цифрлық даму министрлігі", "Министерство цифрового развития", ""),
    ("Madina Omarova", "", "Kaspi.kz", "Kaspi.kz"),
    (
        "Yerlan Tulegenov",
        "Назарбаев Университеті",
        "Назарбаев Университет",
        "Nazarbayev University",
    ),
    ("Saule Iskakova", "", "", "Halyk Bank"),
    ("Timur Abenov", "QazAI", "QazAI", "QazAI"),
    ("Aliya Nurpeisova", "Қазтелеком", "Казахтелеком", "Kazakhtelecom"),
    ("Bauyrzhan Kemel", "", "Beeline Казахстан", "Beeline Kazakhstan"),
    ("Gulnara Akhmetova", "ҚазҰУ", "КазНУ", "Al-Farabi Kazakh National University"),
    ("Nurlan Zhaksylykov", "Kcell", "Kcell", "Kcell"),
    ("Assel Karimova", "", "Freedom Finance", "Freedom Finance"),
    ("Ruslan Dzhumabayev", "Мемлекеттік техникалық қызмет", "Государственная техслужба", ""),
    ("Dana Serikova", "Astana IT University", "Astana IT University", "Astana IT University"),
    ("Marat Ospanov", "", "", "Central Asia Cyber Alliance"),
    ("Zhanna Kassymova", "Ұлттық банк", "Национальный банк", "National Bank of Kazakhstan"),
    ("Arman Yessenov", "Tech Garden", "Tech Garden", "Tech Garden"),
    ("Laura Schmidt", "", "", "European AI Office"),
    ("Kenji Watanabe", "", "", "Tokyo AI Lab"),
    ("Olga Petrenko", "", "Яндекс", "Yandex"),
    ("Samat Bekturov", "Самұрық-Қазына", "Самрук-Казына", "Samruk-Kazyna"),
    ("Aizhan Tokhtarova", "KBTU", "КБТУ", "KBTU"),
    ("Ermek Baizakov", "", "Chocofamily", "Chocofamily"),
    ("Priya Raman", "", "", "Global Fintech Forum"),
    ("Askar Mukhamedov", "Халықаралық IT-университет", "Международный IT-университет", ""),
]
#: (kk, ru, en, format, track): some in one language only, for the fallback
TOPICS = [
    (
        "Жасанды интеллект жылы: ашылу",
        "Год ИИ: открытие",
        "The Year of AI: opening",
        SessionFormat.KEYNOTE,
        0,
    ),
    (
        "Қазақ тіліндегі үлкен тілдік модельдер",
        "Большие языковые модели на казахском",
        "Large language models in Kazakh",
        SessionFormat.TALK,
        0,
    ),
    ("", "ИИ в здравоохранении", "AI in healthcare", SessionFormat.TALK, 0),
    (
        "Мемлекеттік қызметтердегі ЖИ",
        "ИИ в госуслугах",
        "AI in public services",
        SessionFormat.PANEL,
        3,
    ),
    ("", "", "Responsible AI: regulation in the EU and Central Asia", SessionFormat.TALK, 0),
    (
        "Компьютерлік көру: өнеркәсіп",
        "Компьютерное зрение в промышленности",
        "Computer vision in industry",
        SessionFormat.DEMO,
        0,
    ),
    (
        "PyTorch шеберханасы",
        "Мастер-класс по PyTorch",
        "PyTorch masterclass",
        SessionFormat.MASTERCLASS,
        0,
    ),
    (
        "",
        "Промпт-инжиниринг для бизнеса",
        "Prompt engineering for business",
        SessionFormat.WORKSHOP,
        0,
    ),
    ("ЖИ және білім беру", "ИИ и образование", "AI and education", SessionFormat.PANEL, 0),
    (
        "Деректер орталықтары және GPU",
        "Дата-центры и GPU",
        "Data centres and GPUs",
        SessionFormat.TALK,
        0,
    ),
    (
        "Киберқауіпсіздік: 2026 жылғы қатерлер",
        "Киберугрозы 2026 года",
        "Cyber threats of 2026",
        SessionFormat.KEYNOTE,
        1,
    ),
    ("Банктердегі SOC", "SOC в банках", "Security operations in banks", SessionFormat.TALK, 1),
    ("", "Фишинг и социальная инженерия", "", SessionFormat.TALK, 1),
    (
        "Сыни инфрақұрылымды қорғау",
        "Защита критической инфраструктуры",
        "Protecting critical infrastructure",
        SessionFormat.PANEL,
        1,
    ),
    (
        "CTF: бұзу және қорғау",
        "CTF: атака и защита",
        "CTF: attack and defence",
        SessionFormat.WORKSHOP,
        1,
    ),
    ("", "", "Zero trust in practice", SessionFormat.TALK, 1),
    (
        "Дербес деректерді қорғау",
        "Защита персональных данных",
        "Protecting personal data",
        SessionFormat.TALK,
        1,
    ),
    (
        "Киберқауіпсіздік мамандарын даярлау",
        "Подготовка кадров в кибербезопасности",
        "Training cybersecurity talent",
        SessionFormat.PANEL,
        1,
    ),
    (
        "Пентест шеберханасы",
        "Мастер-класс по пентесту",
        "Penetration testing masterclass",
        SessionFormat.MASTERCLASS,
        1,
    ),
    (
        "Кибертехнологиялар демосы",
        "Демо кибертехнологий",
        "Cyber technology demos",
        SessionFormat.DEMO,
        1,
    ),
    ("Цифрлық теңге", "Цифровой тенге", "The digital tenge", SessionFormat.KEYNOTE, 2),
    ("Ашық банкинг", "Открытый банкинг", "Open banking", SessionFormat.TALK, 2),
    ("", "Супераппы Центральной Азии", "Super apps of Central Asia", SessionFormat.PANEL, 2),
    ("Төлемдердегі ЖИ", "ИИ в платежах", "AI in payments", SessionFormat.TALK, 2),
    ("", "", "Cross-border payments on the Silk Road", SessionFormat.TALK, 2),
    (
        "Исламдық қаржы және финтех",
        "Исламские финансы и финтех",
        "Islamic finance and fintech",
        SessionFormat.PANEL,
        2,
    ),
    (
        "Финтех-стартаптар демосы",
        "Демо финтех-стартапов",
        "Fintech startup demos",
        SessionFormat.DEMO,
        2,
    ),
    (
        "Қаржылық сауаттылық қосымшалары",
        "Приложения финансовой грамотности",
        "Financial literacy apps",
        SessionFormat.TALK,
        2,
    ),
    (
        "Реттеушілік құмсалғыш",
        "Регуляторная песочница",
        "The regulatory sandbox",
        SessionFormat.WORKSHOP,
        2,
    ),
    (
        "Финтех желілік кездесуі",
        "Финтех-нетворкинг",
        "Fintech networking",
        SessionFormat.NETWORKING,
        2,
    ),
    (
        "eGov: келесі он жыл",
        "eGov: следующие десять лет",
        "eGov: the next ten years",
        SessionFormat.KEYNOTE,
        3,
    ),
    (
        "Стартаптарға инвестиция",
        "Инвестиции в стартапы",
        "Investing in startups",
        SessionFormat.PANEL,
        3,
    ),
    ("Питч-сессия", "Питч-сессия", "Pitch session", SessionFormat.DEMO, 3),
    (
        "",
        "Цифровые регионы: опыт акиматов",
        "Digital regions: what akimats learned",
        SessionFormat.TALK,
        3,
    ),
    (
        "Astana Hub акселерациясы",
        "Акселерация Astana Hub",
        "The Astana Hub accelerator",
        SessionFormat.TALK,
        3,
    ),
    (
        "Венчурлық қаржыландыру шеберханасы",
        "Мастер-класс по венчурному финансированию",
        "Venture funding masterclass",
        SessionFormat.MASTERCLASS,
        3,
    ),
    (
        "Ауыл шаруашылығындағы цифрландыру",
        "Цифровизация сельского хозяйства",
        "Digital agriculture",
        SessionFormat.TALK,
        3,
    ),
    ("", "", "Startup founders' breakfast", SessionFormat.NETWORKING, 3),
    ("Ақылды қалалар", "Умные города", "Smart cities", SessionFormat.PANEL, 3),
    ("Форумның жабылуы", "Закрытие форума", "Closing of the forum", SessionFormat.KEYNOTE, 0),
]
#: the start times of a day's slots, and how long a session lasts
SLOTS = [dt.time(10, 0), dt.time(11, 15), dt.time(12, 30), dt.time(14, 30), dt.time(15, 45)]
LENGTH = dt.timedelta(minutes=60)


#: the rooms a format is held in (by position in ROOMS): keynotes on the main stage, workshops
#: and masterclasses in the workshop room, the rest in the halls
ROOMS_OF = {
    SessionFormat.KEYNOTE: (0,),
    SessionFormat.WORKSHOP: (3,),
    SessionFormat.MASTERCLASS: (3,),
}
HALLS = (1, 2)
#: speakers a session names: three on a panel, none at networking, else one
SPEAKERS_OF = {SessionFormat.PANEL: 3, SessionFormat.NETWORKING: 0}

Place = tuple[dt.date, dt.time, int]


def _place(places: list[Place], taken: set[Place], day: dt.date, rooms: tuple[int, ...]) -> Place:
    """A free place: on `day` in one of `rooms` if there is one, else anywhere."""
    preferences = (
        [place for place in places if place[0] == day and place[2] in rooms],
        [place for place in places if place[2] in rooms],
        places,
    )
    for candidates in preferences:
        for place in candidates:
            if place not in taken:
                return place
    raise ValueError("the demo programme has more sessions than places")


async def load_demo_programme(actor_id: uuid.UUID, reference: str) -> int:
    """The demo programme of the event (by id or slug), all or nothing; how many sessions it
    made (0 when the event has a programme already)."""
    made = 0
    async with get_engine().transaction():  # the services' transactions join this one
        event = await access.event_for_change(actor_id, reference)
        has_tracks = await Track.exists().where(Track.event == event["id"])
        if not has_tracks and not await Session.exists().where(Session.event == event["id"]):
            made = await _load(actor_id, reference, event)
    return made


async def _load(actor_id: uuid.UUID, reference: str, event: Mapping[str, Any]) -> int:
    tracks = [
        (
            await programme.create_track(
                actor_id, reference, TrackCreate(name_kk=kk, name_ru=ru, name_en=en, position=n)
            )
        ).id
        for n, (kk, ru, en) in enumerate(TRACKS)
    ]
    rooms = [
        (
            await programme.create_room(
                actor_id,
                reference,
                RoomCreate(name_kk=kk, name_ru=ru, name_en=en, capacity=seats, position=n),
            )
        ).id
        for n, (kk, ru, en, seats) in enumerate(ROOMS)
    ]
    speakers = [
        (
            await programme.create_speaker(
                actor_id,
                reference,
                SpeakerCreate(
                    name=name,
                    affiliation_kk=kk,
                    affiliation_ru=ru,
                    affiliation_en=en,
                    bio_en=f"{name} speaks at GITEX Central Asia 2026." if n % 3 == 0 else "",
                    bio_ru=f"{name} выступает на GITEX Central Asia 2026." if n % 2 == 0 else "",
                ),
            )
        ).id
        for n, (name, kk, ru, en) in enumerate(SPEAKERS)
    ]
    zone = ZoneInfo(event["time_zone"])
    first, last = programme_sessions.event_days(event)
    days = [first + dt.timedelta(days=n) for n in range((last - first).days + 1)]
    places = [(day, slot, room) for day in days for slot in SLOTS for room in range(len(ROOMS))]
    topics = TOPICS[: min(SESSION_COUNT, len(places))]
    taken: set[Place] = set()
    speaker_turn = itertools.cycle(speakers)
    for number, (kk, ru, en, session_format, track) in enumerate(topics):
        # the days take turns, so that each has keynotes and workshops
        day, slot, room = _place(
            places, taken, days[number % len(days)], ROOMS_OF.get(session_format, HALLS)
        )
        taken.add((day, slot, room))
        starts = dt.datetime.combine(day, slot, tzinfo=zone)
        await programme_sessions.create_session(
            actor_id,
            reference,
            SessionCreate(
                title_kk=kk,
                title_ru=ru,
                title_en=en,
                abstract_en=f"{en or ru or kk}: a session of GITEX Central Asia 2026.",
                abstract_ru=f"{ru}: сессия GITEX Central Asia 2026." if ru else "",
                starts_at=starts,
                ends_at=starts + LENGTH,
                room_id=rooms[room],
                track_id=tracks[track],
                format=session_format,
                capacity=30 if session_format is SessionFormat.WORKSHOP else None,
                speaker_ids=[next(speaker_turn) for _ in range(SPEAKERS_OF.get(session_format, 1))],
            ),
        )
    return len(topics)
