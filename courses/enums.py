"""Fixed choices of the AI Movement courses."""

from __future__ import annotations

import enum


class CourseStatus(enum.StrEnum):
    """draft → published → archived (an archived course takes no new enrolments; its learners
    keep their progress and finish)."""

    DRAFT = "draft"
    PUBLISHED = "published"
    ARCHIVED = "archived"


#: the statuses anyone may see; drafts are their provider's (and admins') only
PUBLIC_COURSE_STATUSES = frozenset({CourseStatus.PUBLISHED, CourseStatus.ARCHIVED})


class CourseLevel(enum.StrEnum):
    BEGINNER = "beginner"
    INTERMEDIATE = "intermediate"
    ADVANCED = "advanced"


class Audience(enum.StrEnum):
    SCHOOL_PUPILS = "school-pupils"
    STUDENTS = "students"
    TEACHERS = "teachers"
    CIVIL_SERVANTS = "civil-servants"
    ENTREPRENEURS = "entrepreneurs"
    GENERAL_PUBLIC = "general-public"


class TeachingLanguage(enum.StrEnum):
    KK = "kk"
    RU = "ru"
    EN = "en"


class CourseFormat(enum.StrEnum):
    """Self-paced courses have no cohorts and no capacity; the other two are taught in cohorts."""

    SELF_PACED = "self-paced"
    COHORT_ONLINE = "cohort-online"
    IN_PERSON = "in-person"


class LessonKind(enum.StrEnum):
    TEXT = "text"
    VIDEO = "video"
    TEST = "test"


class CohortStatus(enum.StrEnum):
    SCHEDULED = "scheduled"
    CANCELLED = "cancelled"


class ClassStatus(enum.StrEnum):
    SCHEDULED = "scheduled"
    CANCELLED = "cancelled"
