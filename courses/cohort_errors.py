"""What cohorts, their instructors and their class schedules refuse, in kk/ru/en (mapped to HTTP
in `year2026.errors`)."""

from __future__ import annotations

from typing import ClassVar

from courses.errors import InvalidCourseField
from year2026.exceptions import Conflict, NotFound
from year2026.i18n import Language, Texts


class SelfPacedHasNoCohorts(Conflict):
    code = "course-self-paced-has-no-cohorts"
    messages: ClassVar[Texts] = {
        Language.KK: "Өз қарқынымен оқылатын курстың топтары болмайды.",
        Language.RU: "У курса в собственном темпе не бывает групп.",
        Language.EN: "A self-paced course has no cohorts.",
    }


class CohortCancelled(Conflict):
    """A cancelled cohort stays as it is: nothing of it changes any more."""

    code = "cohort-cancelled"
    messages: ClassVar[Texts] = {
        Language.KK: "Топ тоқтатылған: оны енді өзгерту мүмкін емес.",
        Language.RU: "Группа отменена: изменить её уже нельзя.",
        Language.EN: "The cohort is cancelled: it can no longer be changed.",
    }


class CohortEndsBeforeStart(InvalidCourseField):
    code = "cohort-ends-before-start"
    messages: ClassVar[Texts] = {
        Language.KK: "Топ басталғаннан кейін аяқталуы керек.",
        Language.RU: "Группа должна заканчиваться после начала.",
        Language.EN: "The cohort must end after it starts.",
    }


class CohortTooLong(InvalidCourseField):
    code = "cohort-too-long"
    messages: ClassVar[Texts] = {
        Language.KK: "Топ {days} күннен ұзақ болмауы керек.",
        Language.RU: "Группа не может длиться дольше {days} дней.",
        Language.EN: "A cohort lasts at most {days} days.",
    }


class CohortRegionRequired(InvalidCourseField):
    code = "cohort-region-required"
    messages: ClassVar[Texts] = {
        Language.KK: "Күндізгі топтың өңірін көрсетіңіз.",
        Language.RU: "Укажите регион очной группы.",
        Language.EN: "Give the region of an in-person cohort.",
    }


class OnlineCohortHasNoRegion(InvalidCourseField):
    code = "cohort-online-has-no-region"
    messages: ClassVar[Texts] = {
        Language.KK: "Онлайн топтың өңірі болмайды.",
        Language.RU: "У онлайн-группы нет региона.",
        Language.EN: "An online cohort has no region.",
    }


class OnlineLinkRequired(InvalidCourseField):
    code = "cohort-online-link-required"
    messages: ClassVar[Texts] = {
        Language.KK: "Онлайн топтың сабақтарына сілтеме беріңіз.",
        Language.RU: "Укажите ссылку на занятия онлайн-группы.",
        Language.EN: "Give the link of an online cohort's classes.",
    }


class EnrolmentWindowBackwards(InvalidCourseField):
    code = "cohort-enrolment-window-backwards"
    messages: ClassVar[Texts] = {
        Language.KK: "Жазылу ашылғаннан кейін жабылуы керек.",
        Language.RU: "Запись должна закрываться позже, чем открывается.",
        Language.EN: "Enrolment must close after it opens.",
    }


class InstructorNotAMember(Conflict):
    """Only members of the course's provider teach its cohorts."""

    code = "instructor-not-a-member"
    messages: ClassVar[Texts] = {
        Language.KK: "Оқытушы курсты ұсынатын ұйымның мүшесі болуы керек.",
        Language.RU: "Преподаватель должен быть участником организации, ведущей курс.",
        Language.EN: "An instructor must be a member of the course's provider.",
    }


class ClassNotFound(NotFound):
    code = "class-not-found"
    messages: ClassVar[Texts] = {
        Language.KK: "Топтың мұндай сабағы жоқ.",
        Language.RU: "У группы нет такого занятия.",
        Language.EN: "The cohort has no such class.",
    }


class ClassCancelled(Conflict):
    code = "class-cancelled"
    messages: ClassVar[Texts] = {
        Language.KK: "Сабақ тоқтатылған: оны енді өзгерту мүмкін емес.",
        Language.RU: "Занятие отменено: изменить его уже нельзя.",
        Language.EN: "The class is cancelled: it can no longer be changed.",
    }


class TooManyClasses(Conflict):
    code = "cohort-too-many-classes"
    shows_params = True
    messages: ClassVar[Texts] = {
        Language.KK: "Топтың сабақтары {limit}-ден аспауы керек.",
        Language.RU: "У группы может быть не больше {limit} занятий.",
        Language.EN: "A cohort has at most {limit} classes.",
    }


class ClassTitleRequired(InvalidCourseField):
    code = "class-title-required"
    messages: ClassVar[Texts] = {
        Language.KK: "Сабақтың атауын кемінде бір тілде жазыңыз.",
        Language.RU: "Укажите название занятия хотя бы на одном языке.",
        Language.EN: "Give the class's title in at least one language.",
    }


class ClassEndsBeforeStart(InvalidCourseField):
    code = "class-ends-before-start"
    messages: ClassVar[Texts] = {
        Language.KK: "Сабақ басталғаннан кейін аяқталуы керек.",
        Language.RU: "Занятие должно заканчиваться после начала.",
        Language.EN: "The class must end after it starts.",
    }


class ClassTooLong(InvalidCourseField):
    code = "class-too-long"
    messages: ClassVar[Texts] = {
        Language.KK: "Бір сабақ {hours} сағаттан ұзақ болмауы керек.",
        Language.RU: "Одно занятие длится не дольше {hours} часов.",
        Language.EN: "One meeting of a class lasts at most {hours} hours.",
    }


class ClassOutsideCohort(InvalidCourseField):
    code = "class-outside-cohort"
    messages: ClassVar[Texts] = {
        Language.KK: "Сабақ топтың басталуы мен аяқталуы аралығында өтуі керек.",
        Language.RU: "Занятие должно проходить между началом и концом группы.",
        Language.EN: "The class must take place between the cohort's start and end.",
    }
