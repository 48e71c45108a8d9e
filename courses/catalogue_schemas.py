"""The catalogue's API bodies (msgspec Structs): what providers send and read of a course and its
structure, and what anyone reads of a published course (never a test's questions or answers)."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Annotated

import msgspec

from courses.enums import (
    Audience,
    CohortStatus,
    CourseFormat,
    CourseLevel,
    CourseStatus,
    LessonKind,
    TeachingLanguage,
)
from year2026.i18n import LocalizedText
from year2026.people.enums import Region
from year2026.text_types import FREE_TEXT, Description, Link, Slug, Summary, Title

Body = Annotated[str, msgspec.Meta(pattern=FREE_TEXT, max_length=20000)]
QuestionText = Annotated[str, msgspec.Meta(pattern=FREE_TEXT, max_length=2000)]
OptionText = Annotated[str, msgspec.Meta(pattern=FREE_TEXT, max_length=500)]
# `gt=-1`, not `ge=0`: Litestar's schema leaves out a bound of 0 (it tests the bound's truth)
DurationHours = Annotated[int, msgspec.Meta(gt=-1, le=10_000)]
DurationMinutes = Annotated[int, msgspec.Meta(gt=-1, le=10_000)]
PassMark = Annotated[int, msgspec.Meta(gt=-1, le=100)]
MaxAttempts = Annotated[int, msgspec.Meta(ge=1, le=100)]
Audiences = Annotated[list[Audience], msgspec.Meta(max_length=len(Audience))]
Languages = Annotated[list[TeachingLanguage], msgspec.Meta(max_length=len(TeachingLanguage))]
PrerequisiteIds = Annotated[list[uuid.UUID], msgspec.Meta(max_length=20)]
#: a new order: every module (lesson, question) of its parent, once each
OrderIds = Annotated[list[uuid.UUID], msgspec.Meta(max_length=200)]


class CourseFields(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    """What a provider says about a course (a title in at least one language)."""

    slug: Slug
    title_kk: Title = ""
    title_ru: Title = ""
    title_en: Title = ""
    summary_kk: Summary = ""
    summary_ru: Summary = ""
    summary_en: Summary = ""
    description_kk: Description = ""
    description_ru: Description = ""
    description_en: Description = ""
    level: CourseLevel
    audiences: Audiences
    #: the languages it is taught in
    languages: Languages
    format: CourseFormat
    duration_hours: DurationHours = 0
    #: courses to complete before enrolling: other public courses, or the same provider's
    prerequisite_ids: PrerequisiteIds = msgspec.field(default_factory=list)


class CourseCreate(CourseFields, kw_only=True, forbid_unknown_fields=True):
    organization_id: uuid.UUID


class CourseUpdate(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    """A partial change: absent fields stay as they are."""

    slug: Slug | msgspec.UnsetType = msgspec.UNSET
    title_kk: Title | msgspec.UnsetType = msgspec.UNSET
    title_ru: Title | msgspec.UnsetType = msgspec.UNSET
    title_en: Title | msgspec.UnsetType = msgspec.UNSET
    summary_kk: Summary | msgspec.UnsetType = msgspec.UNSET
    summary_ru: Summary | msgspec.UnsetType = msgspec.UNSET
    summary_en: Summary | msgspec.UnsetType = msgspec.UNSET
    description_kk: Description | msgspec.UnsetType = msgspec.UNSET
    description_ru: Description | msgspec.UnsetType = msgspec.UNSET
    description_en: Description | msgspec.UnsetType = msgspec.UNSET
    level: CourseLevel | msgspec.UnsetType = msgspec.UNSET
    audiences: Audiences | msgspec.UnsetType = msgspec.UNSET
    languages: Languages | msgspec.UnsetType = msgspec.UNSET
    format: CourseFormat | msgspec.UnsetType = msgspec.UNSET
    duration_hours: DurationHours | msgspec.UnsetType = msgspec.UNSET
    prerequisite_ids: PrerequisiteIds | msgspec.UnsetType = msgspec.UNSET


class CourseRecord(msgspec.Struct, kw_only=True):
    """A course as its provider manages it: every field, every language."""

    id: uuid.UUID
    organization_id: uuid.UUID
    status: CourseStatus
    slug: str
    title_kk: str
    title_ru: str
    title_en: str
    summary_kk: str
    summary_ru: str
    summary_en: str
    description_kk: str
    description_ru: str
    description_en: str
    level: CourseLevel
    audiences: list[Audience]
    languages: list[TeachingLanguage]
    format: CourseFormat
    duration_hours: int
    prerequisite_ids: list[uuid.UUID]
    #: raised by every change to the completion rule
    rule_version: int
    created_at: dt.datetime
    updated_at: dt.datetime
    published_at: dt.datetime | None


# --- structure, as providers send it ------------------------------------------------------


class ModuleFields(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    title_kk: Title = ""
    title_ru: Title = ""
    title_en: Title = ""


class ModuleUpdate(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    title_kk: Title | msgspec.UnsetType = msgspec.UNSET
    title_ru: Title | msgspec.UnsetType = msgspec.UNSET
    title_en: Title | msgspec.UnsetType = msgspec.UNSET


class LessonCreate(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    """A lesson at the end of its module: a text (`body_*`), a video (`video_url`) or a test
    (`pass_mark`, `max_attempts`, `final`; its questions are added after)."""

    kind: LessonKind
    title_kk: Title = ""
    title_ru: Title = ""
    title_en: Title = ""
    #: a text lesson's content, or a test's introduction (Markdown)
    body_kk: Body = ""
    body_ru: Body = ""
    body_en: Body = ""
    video_url: Link = ""
    duration_minutes: DurationMinutes = 0
    #: counted by the completion rule
    required: bool = True
    #: a test's pass mark, percent (required for a test, refused for others)
    pass_mark: PassMark | None = None
    #: null: no limit
    max_attempts: MaxAttempts | None = None
    #: the course's final test (one per course)
    final: bool = False


class LessonUpdate(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    """A partial change (the kind stays); `module_id` moves it to the end of another module of
    the course."""

    module_id: uuid.UUID | msgspec.UnsetType = msgspec.UNSET
    title_kk: Title | msgspec.UnsetType = msgspec.UNSET
    title_ru: Title | msgspec.UnsetType = msgspec.UNSET
    title_en: Title | msgspec.UnsetType = msgspec.UNSET
    body_kk: Body | msgspec.UnsetType = msgspec.UNSET
    body_ru: Body | msgspec.UnsetType = msgspec.UNSET
    body_en: Body | msgspec.UnsetType = msgspec.UNSET
    video_url: Link | msgspec.UnsetType = msgspec.UNSET
    duration_minutes: DurationMinutes | msgspec.UnsetType = msgspec.UNSET
    required: bool | msgspec.UnsetType = msgspec.UNSET
    pass_mark: PassMark | msgspec.UnsetType | None = msgspec.UNSET
    max_attempts: MaxAttempts | msgspec.UnsetType | None = msgspec.UNSET
    final: bool | msgspec.UnsetType = msgspec.UNSET


class OptionFields(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    text_kk: OptionText = ""
    text_ru: OptionText = ""
    text_en: OptionText = ""
    correct: bool = False


#: a question's options (two at least, one correct at least: checked by the service)
Options = Annotated[list[OptionFields], msgspec.Meta(max_length=10)]


class QuestionFields(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    """A multiple-choice question: one point when exactly the correct options are chosen."""

    text_kk: QuestionText = ""
    text_ru: QuestionText = ""
    text_en: QuestionText = ""
    options: Options


class QuestionUpdate(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    """A partial change; `options`, when given, replace the question's options."""

    text_kk: QuestionText | msgspec.UnsetType = msgspec.UNSET
    text_ru: QuestionText | msgspec.UnsetType = msgspec.UNSET
    text_en: QuestionText | msgspec.UnsetType = msgspec.UNSET
    options: Options | msgspec.UnsetType = msgspec.UNSET


class NewOrder(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    ids: OrderIds


# --- structure, as providers read it --------------------------------------------------------


class OptionRecord(msgspec.Struct, kw_only=True):
    id: uuid.UUID
    text_kk: str
    text_ru: str
    text_en: str
    correct: bool


class QuestionRecord(msgspec.Struct, kw_only=True):
    id: uuid.UUID
    lesson_id: uuid.UUID
    position: int
    text_kk: str
    text_ru: str
    text_en: str
    options: list[OptionRecord]


class LessonRecord(msgspec.Struct, kw_only=True):
    id: uuid.UUID
    module_id: uuid.UUID
    position: int
    kind: LessonKind
    title_kk: str
    title_ru: str
    title_en: str
    body_kk: str
    body_ru: str
    body_en: str
    video_url: str
    duration_minutes: int
    required: bool
    pass_mark: int | None
    max_attempts: int | None
    final: bool
    #: a test's questions with their correct options (empty for other lessons)
    questions: list[QuestionRecord]


class ModuleRecord(msgspec.Struct, kw_only=True):
    id: uuid.UUID
    position: int
    title_kk: str
    title_ru: str
    title_en: str
    lessons: list[LessonRecord]


class CourseStructure(msgspec.Struct, kw_only=True):
    """The whole course for its provider: every field, modules, lessons, questions and which
    options are correct."""

    course: CourseRecord
    modules: list[ModuleRecord]


# --- public ---------------------------------------------------------------------------------


class CourseSummary(msgspec.Struct, kw_only=True):
    """A course as the catalogue lists it, in the reader's language."""

    id: uuid.UUID
    slug: str
    status: CourseStatus
    organization_id: uuid.UUID
    provider: LocalizedText
    title: LocalizedText
    summary: LocalizedText
    level: CourseLevel
    audiences: list[Audience]
    languages: list[TeachingLanguage]
    format: CourseFormat
    duration_hours: int
    published_at: dt.datetime | None


class CoursePage(msgspec.Struct, kw_only=True):
    items: list[CourseSummary]
    next_cursor: str | None


class PrerequisiteView(msgspec.Struct, kw_only=True):
    id: uuid.UUID
    slug: str
    title: LocalizedText


class PublicLesson(msgspec.Struct, kw_only=True):
    """A lesson as the course page shows it: what it is and how long, never its content or a
    test's questions (enrolled learners read those)."""

    id: uuid.UUID
    kind: LessonKind
    title: LocalizedText
    duration_minutes: int
    required: bool
    final: bool


class PublicModule(msgspec.Struct, kw_only=True):
    id: uuid.UUID
    title: LocalizedText
    lessons: list[PublicLesson]


class FinalTest(msgspec.Struct, kw_only=True):
    lesson_id: uuid.UUID
    title: LocalizedText
    pass_mark: int


class CompletionRule(msgspec.Struct, kw_only=True):
    """Completed when every required lesson is done and, where there is a final test, its best
    score is at or above its pass mark."""

    required_lessons: int
    final_test: FinalTest | None
    version: int


class CohortSeats(msgspec.Struct, kw_only=True):
    #: null: no limit
    capacity: int | None
    taken: int
    #: null when there is no limit
    left: int | None
    waitlisted: int


class UpcomingCohort(msgspec.Struct, kw_only=True):
    """A cohort that has not ended, its times in its own zone."""

    id: uuid.UUID
    status: CohortStatus
    time_zone: str
    starts_at: dt.datetime
    ends_at: dt.datetime
    online: bool
    #: null for an online cohort
    region: Region | None
    venue_name: LocalizedText
    venue_address: LocalizedText
    #: null until the cohort's seat pool exists
    seats: CohortSeats | None


class CourseDetail(CourseSummary, kw_only=True):
    """A course's page: everything public about it, in the reader's language."""

    description: LocalizedText
    prerequisites: list[PrerequisiteView]
    modules: list[PublicModule]
    completion_rule: CompletionRule
    #: cohorts that have not ended, in start order (at most 50)
    upcoming_cohorts: list[UpcomingCohort]
