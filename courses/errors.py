"""What the courses refuse everywhere, in kk/ru/en (mapped to HTTP in `year2026.errors`); each
part of the domain adds its own refusals in its `*_errors.py`."""

from __future__ import annotations

from typing import ClassVar

from year2026.exceptions import Conflict, InvalidInput, NotFound
from year2026.i18n import Language, Texts


class CourseNotFound(NotFound):
    """No course the caller may see has this id or slug (other providers' drafts too)."""

    code = "course-not-found"
    messages: ClassVar[Texts] = {
        Language.KK: "Курс табылмады.",
        Language.RU: "Курс не найден.",
        Language.EN: "The course was not found.",
    }


class CohortNotFound(NotFound):
    code = "cohort-not-found"
    messages: ClassVar[Texts] = {
        Language.KK: "Курс тобы табылмады.",
        Language.RU: "Группа курса не найдена.",
        Language.EN: "The cohort was not found.",
    }


class LessonNotFound(NotFound):
    code = "lesson-not-found"
    messages: ClassVar[Texts] = {
        Language.KK: "Сабақ табылмады.",
        Language.RU: "Урок не найден.",
        Language.EN: "The lesson was not found.",
    }


class EnrolmentNotFound(NotFound):
    """No enrolment of the caller's (or that the caller may see) has this id."""

    code = "enrolment-not-found"
    messages: ClassVar[Texts] = {
        Language.KK: "Курсқа жазылу табылмады.",
        Language.RU: "Запись на курс не найдена.",
        Language.EN: "The enrolment was not found.",
    }


class InvalidCourseField(InvalidInput):
    """A field breaks a rule of the courses; `field` says which."""

    code = "invalid-course-field"
    messages: ClassVar[Texts] = {
        Language.KK: "Курстың бір өрісі ережеге сәйкес келмейді.",
        Language.RU: "Поле курса не соответствует правилам.",
        Language.EN: "A field of the course breaks a rule.",
    }

    def __init__(self, field: str, **params: object) -> None:
        super().__init__(**params)
        self.field = field


class CapacityBelowEnrolled(Conflict):
    """A cohort's new capacity would leave fewer seats than people hold."""

    code = "cohort-capacity-below-enrolled"
    shows_params = True
    messages: ClassVar[Texts] = {
        Language.KK: "Орын саны қазір жазылғандардан ({taken}) аз болмауы керек.",
        Language.RU: "Мест не может быть меньше, чем уже записано ({taken}).",
        Language.EN: "The capacity cannot be below the {taken} people already enrolled.",
    }
