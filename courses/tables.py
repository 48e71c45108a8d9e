"""Piccolo tables of the AI Movement courses: the catalogue (courses, modules, lessons, tests),
cohorts with their instructors and class schedules, enrolments and progress.

What Piccolo's columns cannot express is created by the raw-SQL migration (migrations/courses):
the full-text search vector over the three languages, the checks (pass marks, times, one final
test per course), the one-active-enrolment-per-course index, the enrolment's link to its seat
claim, and the indexes the listings need.
"""

from __future__ import annotations

from piccolo.columns import (
    JSONB,
    UUID,
    Array,
    Boolean,
    ForeignKey,
    Integer,
    OnDelete,
    Text,
    Timestamptz,
    Varchar,
)
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.table import Table

from courses.enums import (
    ClassStatus,
    CohortStatus,
    CourseFormat,
    CourseLevel,
    CourseStatus,
    LessonKind,
)
from year2026.people.enums import Region
from year2026.people.tables import Organization, Person

DEFAULT_TIME_ZONE = "Asia/Almaty"


class Course(Table, tablename="course"):
    id = UUID(primary_key=True)
    #: the training provider that publishes it
    organization = ForeignKey(references=Organization, on_delete=OnDelete.restrict, null=False)
    #: the address part of its page (`ai-basics-for-everyone`); unique
    slug = Varchar(length=120, unique=True)
    status = Varchar(length=16, choices=CourseStatus, default=CourseStatus.DRAFT.value)
    #: texts in three languages; an empty one is "not written in this language"
    title_kk = Varchar(length=300, default="")
    title_ru = Varchar(length=300, default="")
    title_en = Varchar(length=300, default="")
    summary_kk = Varchar(length=1000, default="")
    summary_ru = Varchar(length=1000, default="")
    summary_en = Varchar(length=1000, default="")
    description_kk = Text(default="")
    description_ru = Text(default="")
    description_en = Text(default="")
    level = Varchar(length=16, choices=CourseLevel)
    #: `courses.enums.Audience` values
    audiences = Array(base_column=Varchar(length=24), default=list)
    #: the languages it is taught in (`courses.enums.TeachingLanguage` values)
    languages = Array(base_column=Varchar(length=2), default=list)
    format = Varchar(length=16, choices=CourseFormat)
    duration_hours = Integer(default=0)
    #: raised by every change to the completion rule (a lesson's `required`, a test's pass mark,
    #: which test is final): the recompute job completes the enrolments the new rule lets through
    rule_version = Integer(default=1)
    #: the `rule_version` whose enrolments the recompute job has gone through
    recomputed_rule_version = Integer(default=1)
    #: demo content loaded by `year2026 demo`
    is_demo = Boolean(default=False)
    created_at = Timestamptz(default=TimestamptzNow())
    updated_at = Timestamptz(default=TimestamptzNow())
    published_at = Timestamptz(null=True, default=None)


class CoursePrerequisite(Table, tablename="course_prerequisite"):
    """A course that must be completed before enrolling in `course`."""

    id = UUID(primary_key=True)
    course = ForeignKey(references=Course, on_delete=OnDelete.cascade, null=False)
    required_course = ForeignKey(references=Course, on_delete=OnDelete.restrict, null=False)


class CourseModule(Table, tablename="course_module"):
    id = UUID(primary_key=True)
    course = ForeignKey(references=Course, on_delete=OnDelete.cascade, null=False)
    #: the order modules come in (then by id)
    position = Integer(default=0)
    title_kk = Varchar(length=300, default="")
    title_ru = Varchar(length=300, default="")
    title_en = Varchar(length=300, default="")


class Lesson(Table, tablename="course_lesson"):
    id = UUID(primary_key=True)
    #: the module's course (the raw migration makes the database check the pair)
    course = ForeignKey(references=Course, on_delete=OnDelete.cascade, null=False)
    module = ForeignKey(references=CourseModule, on_delete=OnDelete.cascade, null=False)
    #: the order lessons come in within their module (then by id)
    position = Integer(default=0)
    kind = Varchar(length=8, choices=LessonKind)
    title_kk = Varchar(length=300, default="")
    title_ru = Varchar(length=300, default="")
    title_en = Varchar(length=300, default="")
    #: a text lesson's content, or a test's introduction (Markdown)
    body_kk = Text(default="")
    body_ru = Text(default="")
    body_en = Text(default="")
    #: a video lesson's link (http(s))
    video_url = Varchar(length=500, default="")
    duration_minutes = Integer(default=0)
    #: counted by the completion rule
    required = Boolean(default=True)
    #: the course's final test (at most one per course): completion needs a score at or above
    #: its pass mark
    final = Boolean(default=False)
    #: a test's pass mark, percent of the points (0..100); null for other lessons
    pass_mark = Integer(null=True, default=None)
    #: how many times a learner may submit a test; null: no limit
    max_attempts = Integer(null=True, default=None)
    updated_at = Timestamptz(default=TimestamptzNow())


class Question(Table, tablename="course_question"):
    """A multiple-choice question of a test: one point when the chosen options are exactly the
    correct ones."""

    id = UUID(primary_key=True)
    lesson = ForeignKey(references=Lesson, on_delete=OnDelete.cascade, null=False)
    position = Integer(default=0)
    text_kk = Varchar(length=2000, default="")
    text_ru = Varchar(length=2000, default="")
    text_en = Varchar(length=2000, default="")


class QuestionOption(Table, tablename="course_question_option"):
    id = UUID(primary_key=True)
    question = ForeignKey(references=Question, on_delete=OnDelete.cascade, null=False)
    position = Integer(default=0)
    text_kk = Varchar(length=500, default="")
    text_ru = Varchar(length=500, default="")
    text_en = Varchar(length=500, default="")
    #: never sent to a learner's client before they submit
    correct = Boolean(default=False)


class Cohort(Table, tablename="course_cohort"):
    """One running of a cohort-taught course: its dates, place, seats and enrolment window. Its
    seats are the seat pool of the same id (`year2026.seats`)."""

    id = UUID(primary_key=True)
    course = ForeignKey(references=Course, on_delete=OnDelete.restrict, null=False)
    status = Varchar(length=16, choices=CohortStatus, default=CohortStatus.SCHEDULED.value)
    #: the IANA zone its times are given in (and its classes' recurrence expanded in)
    time_zone = Varchar(length=64, default=DEFAULT_TIME_ZONE)
    starts_at = Timestamptz()
    ends_at = Timestamptz()
    #: null for an online cohort
    region = Varchar(length=32, choices=Region, null=True, default=None)
    venue_name_kk = Varchar(length=300, default="")
    venue_name_ru = Varchar(length=300, default="")
    venue_name_en = Varchar(length=300, default="")
    venue_address_kk = Varchar(length=500, default="")
    venue_address_ru = Varchar(length=500, default="")
    venue_address_en = Varchar(length=500, default="")
    online_url = Varchar(length=500, default="")
    #: seats; null: no limit
    capacity = Integer(null=True, default=None)
    #: when full, newcomers wait (true) or are refused (false)
    waitlist = Boolean(default=True)
    #: enrolment opens then (null: at once) and closes then (null: when the cohort starts;
    #: never later than its end)
    enrolment_opens_at = Timestamptz(null=True, default=None)
    enrolment_closes_at = Timestamptz(null=True, default=None)
    #: RFC 5545 SEQUENCE of what a calendar shows of it
    sequence = Integer(default=0)
    is_demo = Boolean(default=False)
    created_at = Timestamptz(default=TimestamptzNow())
    updated_at = Timestamptz(default=TimestamptzNow())


class CohortInstructor(Table, tablename="course_cohort_instructor"):
    """A member of the provider who teaches the cohort (records attendance and scores)."""

    id = UUID(primary_key=True)
    cohort = ForeignKey(references=Cohort, on_delete=OnDelete.cascade, null=False)
    person = ForeignKey(references=Person, on_delete=OnDelete.restrict, null=False)


class CohortClass(Table, tablename="course_class"):
    """A meeting of a cohort, or a series of them (`rrule`, expanded by `year2026.recurrence` in
    the cohort's zone): what learners' private calendars and reminders show."""

    id = UUID(primary_key=True)
    cohort = ForeignKey(references=Cohort, on_delete=OnDelete.cascade, null=False)
    title_kk = Varchar(length=300, default="")
    title_ru = Varchar(length=300, default="")
    title_en = Varchar(length=300, default="")
    #: the first (or only) meeting
    starts_at = Timestamptz()
    ends_at = Timestamptz()
    #: RFC 5545 RRULE value (without "RRULE:"); empty: one meeting
    rrule = Varchar(length=500, default="")
    #: original starts of meetings the rule makes that do not take place
    exdates = Array(base_column=Timestamptz(), default=list)
    #: a room or address in three languages, or empty (then the cohort's venue)
    place_kk = Varchar(length=500, default="")
    place_ru = Varchar(length=500, default="")
    place_en = Varchar(length=500, default="")
    #: the link of an online meeting (else the cohort's)
    online_url = Varchar(length=500, default="")
    status = Varchar(length=16, choices=ClassStatus, default=ClassStatus.SCHEDULED.value)
    sequence = Integer(default=0)
    created_at = Timestamptz(default=TimestamptzNow())
    updated_at = Timestamptz(default=TimestamptzNow())


class Enrolment(Table, tablename="course_enrolment"):
    """A person's enrolment in a course: in a cohort (its seat claim, same id, holds the status:
    confirmed or waitlisted) or self-paced (a claim in the course's own pool, which has no
    limit). A person holds at most one enrolment per course that has not ended."""

    #: the id of its seat claim (a foreign key, set by the raw migration)
    id = UUID(primary_key=True)
    course = ForeignKey(references=Course, on_delete=OnDelete.restrict, null=False)
    #: null: self-paced
    cohort = ForeignKey(references=Cohort, on_delete=OnDelete.restrict, null=True, default=None)
    person = ForeignKey(references=Person, on_delete=OnDelete.restrict, null=False)
    created_at = Timestamptz(default=TimestamptzNow())
    #: withdrawn (or its cohort cancelled, or the person erased): the claim's end, copied in the
    #: same transaction; null: not ended
    ended_at = Timestamptz(null=True, default=None)
    #: the first lesson done or test submitted ("active" in the learning funnel)
    first_progress_at = Timestamptz(null=True, default=None)
    #: decided once, in the transaction of the step that met the completion rule
    completed_at = Timestamptz(null=True, default=None)
    #: the course's `rule_version` that completion was decided under
    completed_rule_version = Integer(null=True, default=None)


class LessonProgress(Table, tablename="course_lesson_progress"):
    """A lesson done by an enrolled learner (a test: passed), and a test's best score."""

    id = UUID(primary_key=True)
    enrolment = ForeignKey(references=Enrolment, on_delete=OnDelete.cascade, null=False)
    lesson = ForeignKey(references=Lesson, on_delete=OnDelete.cascade, null=False)
    #: null: not done yet (a test tried but not passed)
    done_at = Timestamptz(null=True, default=None)
    #: a test's best score, percent
    best_score = Integer(null=True, default=None)
    #: the instructor who recorded it; null: the learner did it themselves
    recorded_by = ForeignKey(references=Person, on_delete=OnDelete.restrict, null=True)
    updated_at = Timestamptz(default=TimestamptzNow())


class TestAttempt(Table, tablename="course_test_attempt"):
    """One submission of a test, graded by the service; (enrolment, lesson, number) is unique,
    so two submissions at once cannot both be the last one allowed."""

    id = UUID(primary_key=True)
    enrolment = ForeignKey(references=Enrolment, on_delete=OnDelete.cascade, null=False)
    lesson = ForeignKey(references=Lesson, on_delete=OnDelete.cascade, null=False)
    number = Integer()
    #: question id → the option ids chosen
    answers = JSONB(default="{}")
    correct = Integer()
    total = Integer()
    #: percent of the points, rounded down
    score = Integer()
    passed = Boolean()
    submitted_at = Timestamptz(default=TimestamptzNow())


class ClassAttendance(Table, tablename="course_class_attendance"):
    """Whether an enrolled learner attended one meeting of a class (`meeting_start`: the
    meeting's original start), as an instructor recorded it."""

    id = UUID(primary_key=True)
    cohort_class = ForeignKey(references=CohortClass, on_delete=OnDelete.cascade, null=False)
    meeting_start = Timestamptz()
    enrolment = ForeignKey(references=Enrolment, on_delete=OnDelete.cascade, null=False)
    attended = Boolean()
    recorded_by = ForeignKey(references=Person, on_delete=OnDelete.restrict, null=False)
    recorded_at = Timestamptz(default=TimestamptzNow())


CATALOGUE_TABLES: list[type[Table]] = [
    Course,
    CoursePrerequisite,
    CourseModule,
    Lesson,
    Question,
    QuestionOption,
]
COHORT_TABLES: list[type[Table]] = [Cohort, CohortInstructor, CohortClass]
LEARNING_TABLES: list[type[Table]] = [Enrolment, LessonProgress, TestAttempt, ClassAttendance]
ALL_TABLES: list[type[Table]] = [*CATALOGUE_TABLES, *COHORT_TABLES, *LEARNING_TABLES]
