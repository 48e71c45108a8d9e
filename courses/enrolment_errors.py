"""What enrolment refuses, in kk/ru/en (mapped to HTTP in `year2026.errors`)."""

from __future__ import annotations

from typing import ClassVar

from year2026.exceptions import Conflict
from year2026.i18n import Language, Texts


class CourseNotPublished(Conflict):
    """A draft: only its provider sees it, and nobody enrols in it yet."""

    code = "course-not-published"
    messages: ClassVar[Texts] = {
        Language.KK: "Курс әлі жарияланбаған: оған жазылуға болмайды.",
        Language.RU: "Курс ещё не опубликован: записаться на него нельзя.",
        Language.EN: "The course is not published yet: nobody can enrol in it.",
    }


class CourseArchived(Conflict):
    code = "course-archived"
    messages: ClassVar[Texts] = {
        Language.KK: "Курс мұрағатқа жіберілген: оған жаңадан жазылу жоқ.",
        Language.RU: "Курс перенесён в архив: новые записи не принимаются.",
        Language.EN: "The course is archived: it takes no new enrolments.",
    }


class CohortCancelledForEnrolment(Conflict):
    code = "enrolment-cohort-cancelled"
    messages: ClassVar[Texts] = {
        Language.KK: "Бұл курс тобы болмайды: ол тоқтатылды.",
        Language.RU: "Эта группа курса отменена.",
        Language.EN: "This cohort has been cancelled.",
    }


class CohortRequired(Conflict):
    """A course taught in cohorts is enrolled in through one of them."""

    code = "cohort-required"
    messages: ClassVar[Texts] = {
        Language.KK: "Бұл курс топтарда оқытылады: жазылу үшін топты таңдаңыз.",
        Language.RU: "Этот курс проходит в группах: выберите группу, чтобы записаться.",
        Language.EN: "This course is taught in cohorts: choose a cohort to enrol in.",
    }


class EnrolmentNotOpen(Conflict):
    code = "enrolment-not-open"
    messages: ClassVar[Texts] = {
        Language.KK: "Бұл курсқа жазылу ашық емес.",
        Language.RU: "Запись на этот курс сейчас не открыта.",
        Language.EN: "Enrolment in this course is not open.",
    }


class EnrolmentNotYetOpen(Conflict):
    code = "enrolment-not-yet-open"
    shows_params = True
    messages: ClassVar[Texts] = {
        Language.KK: "Жазылу {opens_at} ашылады.",
        Language.RU: "Запись откроется {opens_at}.",
        Language.EN: "Enrolment opens at {opens_at}.",
    }


class EnrolmentClosed(Conflict):
    code = "enrolment-closed"
    messages: ClassVar[Texts] = {
        Language.KK: "Бұл топқа жазылу жабылды.",
        Language.RU: "Запись в эту группу закрыта.",
        Language.EN: "Enrolment in this cohort has closed.",
    }


class CohortFull(Conflict):
    code = "cohort-full"
    messages: ClassVar[Texts] = {
        Language.KK: "Топта бос орын қалмады, ал күту тізімі жоқ.",
        Language.RU: "В группе не осталось мест, а листа ожидания нет.",
        Language.EN: "The cohort is full, and it has no waitlist.",
    }


class PrerequisitesMissing(Conflict):
    """Courses to complete first; `courses` names them in the reader's language."""

    code = "prerequisites-missing"
    shows_params = True
    messages: ClassVar[Texts] = {
        Language.KK: "Алдымен мына курстарды аяқтаңыз: {courses}.",
        Language.RU: "Сначала пройдите курсы: {courses}.",
        Language.EN: "Complete these courses first: {courses}.",
    }


class CourseAlreadyCompleted(Conflict):
    code = "course-already-completed"
    messages: ClassVar[Texts] = {
        Language.KK: "Сіз бұл курсты аяқтап қойғансыз.",
        Language.RU: "Вы уже прошли этот курс.",
        Language.EN: "You have already completed this course.",
    }


class EnrolledElsewhereInCourse(Conflict):
    """One enrolment per course: the person holds one in another cohort (or self-paced)."""

    code = "enrolled-in-another-cohort"
    shows_params = True
    messages: ClassVar[Texts] = {
        Language.KK: "Сіз бұл курстың басқа тобына жазылғансыз ({enrolment_id}). Топты"
        " ауыстыру үшін алдымен сол жазылудан бас тартыңыз.",
        Language.RU: "Вы уже записаны на этот курс в другой группе ({enrolment_id}). Чтобы"
        " сменить группу, сначала отмените ту запись.",
        Language.EN: "You are already enrolled in this course in another cohort"
        " ({enrolment_id}). To change cohorts, withdraw from that one first.",
    }


class CompletedEnrolmentKept(Conflict):
    """A completed enrolment is a record of what was learnt, not a place to give up."""

    code = "enrolment-completed"
    messages: ClassVar[Texts] = {
        Language.KK: "Аяқталған курстан бас тартуға болмайды.",
        Language.RU: "Нельзя отказаться от уже пройденного курса.",
        Language.EN: "A completed enrolment cannot be withdrawn.",
    }
