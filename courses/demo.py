"""Demo courses of the AI Movement for the one-command run, made through the providers' own
services and loaded idempotently (a course whose slug exists is left as it is), marked as demo.

Two providers, alem.ai and Astana IT University, offer four courses in Kazakh, Russian and
English: "AI basics for everyone" (self-paced), and three taught in cohorts, in several regions
and online. "Machine learning for teachers" requires "AI basics for everyone". Every course has
modules of text and video lessons and a final test of multiple-choice questions.

Cohorts are made by the cohorts' own service, each with its seat pool.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass, field
from typing import Any
from zoneinfo import ZoneInfo

from courses import catalogue, catalogue_questions, catalogue_structure
from courses.catalogue_schemas import (
    CourseCreate,
    LessonCreate,
    ModuleFields,
    OptionFields,
    QuestionFields,
)
from courses.cohort_schemas import CohortCreate
from courses.cohorts import create_cohort
from courses.enums import Audience, CourseFormat, CourseLevel, LessonKind, TeachingLanguage
from courses.tables import Course
from year2026.people.enums import OrganizationKind, Region
from year2026.people.tables import Organization

ALEM_AI_ID = uuid.UUID("2026c0a1-0000-4000-8000-000000000001")
ASTANA_IT_UNIVERSITY_ID = uuid.UUID("2026c0a1-0000-4000-8000-000000000002")
AI_BASICS_SLUG = "ai-basics-for-everyone"
ALMATY = ZoneInfo("Asia/Almaty")

PROVIDERS: list[dict[str, Any]] = [
    {
        "id": ALEM_AI_ID,
        "name_kk": "alem.ai",
        "name_ru": "alem.ai",
        "name_en": "alem.ai",
        "kind": OrganizationKind.COMPANY.value,
        "region": Region.ASTANA.value,
        "website": "https://alem.ai",
    },
    {
        "id": ASTANA_IT_UNIVERSITY_ID,
        "name_kk": "Astana IT University",
        "name_ru": "Astana IT University",
        "name_en": "Astana IT University",
        "kind": OrganizationKind.UNIVERSITY.value,
        "region": Region.ASTANA.value,
        "website": "https://astanait.edu.kz",
    },
]


def texts(prefix: str, kk: str, ru: str, en: str) -> dict[str, Any]:
    return {f"{prefix}_kk": kk, f"{prefix}_ru": ru, f"{prefix}_en": en}


@dataclass(frozen=True)
class DemoLesson:
    kind: LessonKind
    title: dict[str, Any]
    minutes: int
    body: dict[str, Any] = field(default_factory=dict)
    video_url: str = ""


@dataclass(frozen=True)
class DemoQuestion:
    text: dict[str, Any]
    #: (kk, ru, en, correct)
    options: list[tuple[str, str, str, bool]]


@dataclass(frozen=True)
class DemoCohort:
    region: Region | None
    venue: tuple[str, str, str]
    starts: dt.datetime
    ends: dt.datetime
    capacity: int


@dataclass(frozen=True)
class DemoCourse:
    fields: dict[str, Any]
    modules: list[tuple[dict[str, Any], list[DemoLesson]]]
    questions: list[DemoQuestion]
    cohorts: list[DemoCohort] = field(default_factory=list)
    prerequisite_slugs: list[str] = field(default_factory=list)


def _day(month: int, day: int, hour: int = 10, year: int = 2027) -> dt.datetime:
    return dt.datetime(year, month, day, hour, 0, tzinfo=ALMATY)


def _text(kk: str, ru: str, en: str, minutes: int = 20) -> DemoLesson:
    return DemoLesson(
        LessonKind.TEXT, texts("title", kk, ru, en), minutes, texts("body", kk, ru, en)
    )


def _video(kk: str, ru: str, en: str, url: str, minutes: int = 15) -> DemoLesson:
    return DemoLesson(LessonKind.VIDEO, texts("title", kk, ru, en), minutes, video_url=url)


_WHAT_IS_AI = DemoQuestion(
    texts("text", "Жасанды интеллект дегеніміз не?", "Что такое искусственный интеллект?",
          "What is artificial intelligence?"),
    [
        ("Деректерден үйренетін компьютерлік жүйелер", "Компьютерные системы, которые учатся на"
         " данных", "Computer systems that learn from data", True),
        ("Адамның миы", "Человеческий мозг", "The human brain", False),
        ("Тек роботтар", "Только роботы", "Only robots", False),
    ],
)  # fmt: skip
_PERSONAL_DATA = DemoQuestion(
    texts("text", "Чат-ботқа қандай деректерді жіберуге болмайды?",
          "Какие данные нельзя отправлять чат-боту?", "What must never be sent to a chatbot?"),
    [
        ("ЖСН және құпиясөздер", "ИИН и пароли", "ID numbers and passwords", True),
        ("Жалпы сұрақтар", "Общие вопросы", "General questions", False),
        ("Ашық мәтіндер", "Открытые тексты", "Public texts", False),
    ],
)  # fmt: skip
_HALLUCINATION = DemoQuestion(
    texts("text", "Модель сенімді, бірақ қате жауап берсе, бұл не деп аталады?",
          "Как называется уверенный, но неверный ответ модели?",
          "What is a confident but wrong answer of a model called?"),
    [
        ("Галлюцинация", "Галлюцинация", "A hallucination", True),
        ("Компиляция", "Компиляция", "A compilation", False),
    ],
)  # fmt: skip

DEMO_COURSES: list[DemoCourse] = [
    DemoCourse(
        fields={
            "organization_id": ALEM_AI_ID,
            "slug": AI_BASICS_SLUG,
            **texts("title", "Барлығына арналған жасанды интеллект негіздері", "Основы ИИ для всех",
                    "AI basics for everyone"),
            **texts("summary", "Жасанды интеллект деген не және оны қауіпсіз қалай қолдануға"
                    " болады.", "Что такое ИИ и как пользоваться им безопасно.",
                    "What AI is and how to use it safely."),
            **texts("description", "AI Movement бағдарламасының бастапқы курсы: өз қарқыныңызбен.",
                    "Вводный курс AI Movement в собственном темпе.",
                    "The AI Movement's starting course, at your own pace."),
            "level": CourseLevel.BEGINNER,
            "audiences": [Audience.GENERAL_PUBLIC, Audience.SCHOOL_PUPILS, Audience.STUDENTS],
            "languages": [TeachingLanguage.KK, TeachingLanguage.RU, TeachingLanguage.EN],
            "format": CourseFormat.SELF_PACED,
            "duration_hours": 12,
        },
        modules=[
            (texts("title", "ЖИ дегеніміз не", "Что такое ИИ", "What AI is"), [
                _text("Жасанды интеллект тарихы", "История искусственного интеллекта",
                      "A short history of AI"),
                _video("ЖИ күнделікті өмірде", "ИИ в повседневной жизни", "AI in daily life",
                       "https://www.youtube.com/watch?v=ad79nYk2keg"),
            ]),
            (texts("title", "ЖИ-ді қауіпсіз қолдану", "Безопасное использование ИИ",
                   "Using AI safely"), [
                _text("Жеке деректерді қорғау", "Защита персональных данных",
                      "Protecting personal data"),
            ]),
        ],
        questions=[_WHAT_IS_AI, _PERSONAL_DATA, _HALLUCINATION],
    ),
    DemoCourse(
        fields={
            "organization_id": ALEM_AI_ID,
            "slug": "prompt-engineering-for-civil-servants",
            **texts("title", "Мемлекеттік қызметшілерге арналған промпт-инженерия",
                    "Промпт-инжиниринг для госслужащих",
                    "Prompt engineering for civil servants"),
            **texts("summary", "Хаттар, анықтамалар мен талдауды тілдік модельдермен дайындау.",
                    "Письма, справки и аналитика с языковыми моделями.",
                    "Letters, briefs and analysis with language models."),
            "level": CourseLevel.INTERMEDIATE,
            "audiences": [Audience.CIVIL_SERVANTS],
            "languages": [TeachingLanguage.KK, TeachingLanguage.RU],
            "format": CourseFormat.COHORT_ONLINE,
            "duration_hours": 16,
        },
        modules=[
            (texts("title", "Промпт құрылымы", "Структура промпта", "The shape of a prompt"), [
                _text("Рөл, міндет, мысалдар", "Роль, задача, примеры", "Role, task, examples"),
                _video("Жақсы және нашар промпттар", "Хорошие и плохие промпты",
                       "Good and bad prompts", "https://www.youtube.com/watch?v=jC4v5AS4RIM"),
            ]),
            (texts("title", "Мемлекеттік қызметтегі тәжірибе", "Практика госслужбы",
                   "Practice in public service"), [
                _text("Азаматтардың өтініштеріне жауап", "Ответы на обращения граждан",
                      "Answering citizens' requests", 30),
            ]),
        ],
        questions=[_PERSONAL_DATA, _HALLUCINATION],
        cohorts=[
            DemoCohort(None, ("", "", ""), _day(2, 1), _day(3, 15, 18), 100),
            DemoCohort(None, ("", "", ""), _day(4, 5), _day(5, 20, 18), 100),
        ],
    ),
    DemoCourse(
        fields={
            "organization_id": ASTANA_IT_UNIVERSITY_ID,
            "slug": "machine-learning-for-teachers",
            **texts("title", "Мұғалімдерге арналған машиналық оқыту",
                    "Машинное обучение для учителей", "Machine learning for teachers"),
            **texts("summary", "Сабақта машиналық оқытуды түсіндіру және қолдану.",
                    "Как объяснять и применять машинное обучение на уроках.",
                    "Explaining and using machine learning in class."),
            "level": CourseLevel.INTERMEDIATE,
            "audiences": [Audience.TEACHERS],
            "languages": [TeachingLanguage.KK, TeachingLanguage.RU],
            "format": CourseFormat.IN_PERSON,
            "duration_hours": 36,
        },
        modules=[
            (texts("title", "Деректер және модельдер", "Данные и модели", "Data and models"), [
                _text("Оқыту жиыны мен тест жиыны", "Обучающая и тестовая выборки",
                      "Training and test sets", 40),
                _video("Шешім ағашы", "Дерево решений", "A decision tree",
                       "https://www.youtube.com/watch?v=ZVR2Way4nwQ", 25),
            ]),
            (texts("title", "Сыныптағы жобалар", "Проекты в классе", "Projects in class"), [
                _text("Оқушылармен бірге классификатор", "Классификатор вместе с учениками",
                      "A classifier with your pupils", 45),
            ]),
        ],
        questions=[_WHAT_IS_AI, _HALLUCINATION],
        prerequisite_slugs=[AI_BASICS_SLUG],
        cohorts=[
            DemoCohort(Region.ASTANA, ("Astana IT University, C1 корпусы",
                       "Astana IT University, корпус C1", "Astana IT University, building C1"),
                       _day(2, 8), _day(4, 30, 18), 30),
            DemoCohort(Region.ALMATY, ("№ 165 мектеп-лицей", "Школа-лицей № 165",
                       "School-lyceum No. 165"), _day(2, 15), _day(5, 7, 18), 25),
            DemoCohort(Region.SHYMKENT, ("Shymkent IT Hub", "Shymkent IT Hub", "Shymkent IT Hub"),
                       _day(3, 1), _day(5, 21, 18), 25),
        ],
    ),
    DemoCourse(
        fields={
            "organization_id": ASTANA_IT_UNIVERSITY_ID,
            "slug": "ai-for-entrepreneurs",
            **texts("title", "Кәсіпкерлерге арналған жасанды интеллект", "ИИ для предпринимателей",
                    "AI for entrepreneurs"),
            **texts("summary", "Сату, маркетинг және есеп үшін ЖИ құралдары.",
                    "Инструменты ИИ для продаж, маркетинга и учёта.",
                    "AI tools for sales, marketing and bookkeeping."),
            "level": CourseLevel.BEGINNER,
            "audiences": [Audience.ENTREPRENEURS],
            "languages": [TeachingLanguage.KK, TeachingLanguage.RU, TeachingLanguage.EN],
            "format": CourseFormat.IN_PERSON,
            "duration_hours": 20,
        },
        modules=[
            (texts("title", "ЖИ бизнесте", "ИИ в бизнесе", "AI in business"), [
                _text("Клиенттерге автоматты жауап", "Автоответы клиентам",
                      "Answering customers automatically"),
                _video("Маркетингтік мәтіндер", "Маркетинговые тексты", "Marketing copy",
                       "https://www.youtube.com/watch?v=2ePf9rue1Ao"),
            ]),
        ],
        questions=[_WHAT_IS_AI, _PERSONAL_DATA],
        cohorts=[
            DemoCohort(Region.ALMATY, ("Astana Hub Almaty", "Astana Hub Almaty",
                       "Astana Hub Almaty"), _day(2, 20), _day(3, 27, 18), 40),
            DemoCohort(Region.KARAGANDA, ("Қарағанды бизнес-инкубаторы",
                       "Бизнес-инкубатор Караганды", "Karaganda business incubator"),
                       _day(3, 6), _day(4, 10, 18), 30),
        ],
    ),
]  # fmt: skip


async def _ensure_providers() -> list[uuid.UUID]:
    for provider in PROVIDERS:
        if not await Organization.exists().where(Organization.id == provider["id"]):
            await Organization.insert(Organization(**provider))
    return [provider["id"] for provider in PROVIDERS]


async def _add_cohorts(actor_id: uuid.UUID, reference: str, cohorts: list[DemoCohort]) -> None:
    for demo in cohorts:
        venue: dict[str, Any] = dict(
            zip(("venue_name_kk", "venue_name_ru", "venue_name_en"), demo.venue, strict=True)
        )
        await create_cohort(
            actor_id,
            reference,
            CohortCreate(
                starts_at=demo.starts,
                ends_at=demo.ends,
                region=demo.region,
                online_url="https://meet.alem.ai/ai-movement" if demo.region is None else "",
                capacity=demo.capacity,
                **venue,
            ),
            demo=True,
        )


async def _load_course(actor_id: uuid.UUID, demo: DemoCourse) -> None:
    prerequisites = [
        row["id"]
        for row in await Course.select(Course.id).where(Course.slug.is_in(demo.prerequisite_slugs))
    ] if demo.prerequisite_slugs else []  # fmt: skip
    data = CourseCreate(**demo.fields, prerequisite_ids=prerequisites)
    record = await catalogue.create_course(actor_id, data, demo=True)
    reference = str(record.id)
    for module_titles, lessons in demo.modules:
        module = await catalogue_structure.create_module(
            actor_id, reference, ModuleFields(**module_titles)
        )
        for lesson in lessons:
            await catalogue_structure.create_lesson(
                actor_id,
                reference,
                module.id,
                LessonCreate(
                    kind=lesson.kind,
                    duration_minutes=lesson.minutes,
                    video_url=lesson.video_url,
                    **lesson.title,
                    **lesson.body,
                ),
            )
    final = await catalogue_structure.create_lesson(
        actor_id,
        reference,
        module.id,
        LessonCreate(
            kind=LessonKind.TEST,
            duration_minutes=15,
            pass_mark=60,
            max_attempts=3,
            final=True,
            **texts("title", "Қорытынды тест", "Итоговый тест", "Final test"),
        ),
    )
    for question in demo.questions:
        options = [
            OptionFields(text_kk=kk, text_ru=ru, text_en=en, correct=correct)
            for kk, ru, en, correct in question.options
        ]
        await catalogue_questions.create_question(
            actor_id, reference, final.id, QuestionFields(**question.text, options=options)
        )
    await catalogue.publish_course(actor_id, reference)
    await _add_cohorts(actor_id, reference, demo.cohorts)


async def load_demo_courses(actor_id: uuid.UUID) -> list[uuid.UUID]:
    """The providers, and the demo courses that are not there yet (made by `actor_id`, an
    admin); the providers' ids (so that the demo organizer can be made a member)."""
    provider_ids = await _ensure_providers()
    for demo in DEMO_COURSES:
        if not await Course.exists().where(Course.slug == demo.fields["slug"]):
            await _load_course(actor_id, demo)
    return provider_ids
