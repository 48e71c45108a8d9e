"""What the catalogue refuses (courses, their structure and prerequisites), in kk/ru/en; mapped
to HTTP in `year2026.errors` by category."""

from __future__ import annotations

from typing import ClassVar

from courses.errors import InvalidCourseField
from year2026.exceptions import Conflict, NotFound
from year2026.i18n import Language, Texts


class CourseSlugTaken(Conflict):
    code = "course-slug-taken"
    messages: ClassVar[Texts] = {
        Language.KK: "Бұл мекенжай (slug) басқа курсқа берілген.",
        Language.RU: "Этот адрес (slug) уже занят другим курсом.",
        Language.EN: "This slug is already used by another course.",
    }


class CourseStatusChangeRefused(Conflict):
    """The workflow (draft → published → archived) does not go from the course's status there."""

    code = "course-status-change-refused"
    shows_params = True
    messages: ClassVar[Texts] = {
        Language.KK: "Курстың «{current}» күйінен бұл әрекет мүмкін емес.",
        Language.RU: "Из состояния «{current}» это действие с курсом невозможно.",
        Language.EN: "This cannot be done to a course that is {current}.",
    }


class FinalTestTaken(Conflict):
    """The course has a final test already (one per course, the database makes sure)."""

    code = "course-final-test-taken"
    messages: ClassVar[Texts] = {
        Language.KK: "Курстың қорытынды тесті бар. Алдымен оның «final» белгісін алыңыз.",
        Language.RU: "У курса уже есть итоговый тест. Сначала снимите с него отметку «final».",
        Language.EN: "The course has a final test already. Unmark that one first.",
    }


class ModuleNotFound(NotFound):
    code = "course-module-not-found"
    messages: ClassVar[Texts] = {
        Language.KK: "Курс модулі табылмады.",
        Language.RU: "Модуль курса не найден.",
        Language.EN: "The module was not found.",
    }


class QuestionNotFound(NotFound):
    code = "course-question-not-found"
    messages: ClassVar[Texts] = {
        Language.KK: "Тест сұрағы табылмады.",
        Language.RU: "Вопрос теста не найден.",
        Language.EN: "The question was not found.",
    }


class CourseTitleRequired(InvalidCourseField):
    code = "course-title-required"
    messages: ClassVar[Texts] = {
        Language.KK: "Атауын кемінде бір тілде жазыңыз.",
        Language.RU: "Укажите название хотя бы на одном языке.",
        Language.EN: "Give the title in at least one language.",
    }


class CourseTextRequired(InvalidCourseField):
    """A question or an option with no text in any language."""

    code = "course-text-required"
    messages: ClassVar[Texts] = {
        Language.KK: "Мәтінін кемінде бір тілде жазыңыз.",
        Language.RU: "Укажите текст хотя бы на одном языке.",
        Language.EN: "Give the text in at least one language.",
    }


class ChoiceRequired(InvalidCourseField):
    """A list that must name at least one choice (audiences, languages)."""

    code = "course-choice-required"
    messages: ClassVar[Texts] = {
        Language.KK: "Кемінде бір мәнді таңдаңыз.",
        Language.RU: "Выберите хотя бы одно значение.",
        Language.EN: "Choose at least one value.",
    }


class PrerequisiteNotAvailable(InvalidCourseField):
    """A prerequisite that is not another existing course, public or of the same provider."""

    code = "course-prerequisite-not-available"
    messages: ClassVar[Texts] = {
        Language.KK: "Алдын ала талап ретінде басқа жарияланған курсты немесе өз курсыңызды"
        " ғана көрсетуге болады.",
        Language.RU: "Предварительным условием может быть только другой опубликованный курс"
        " или курс того же провайдера.",
        Language.EN: "A prerequisite must be another published course, or one of the same"
        " provider.",
    }


class PrerequisiteCycle(InvalidCourseField):
    """A prerequisite that (through others) requires this course: nobody could ever enrol."""

    code = "course-prerequisite-cycle"
    messages: ClassVar[Texts] = {
        Language.KK: "Алдын ала талаптар тұйық шеңбер құрайды: ол курс осы курсты талап етеді.",
        Language.RU: "Предварительные условия образуют цикл: тот курс сам требует этот курс.",
        Language.EN: "The prerequisites make a cycle: that course itself requires this one.",
    }


class VideoLinkRequired(InvalidCourseField):
    code = "course-video-link-required"
    messages: ClassVar[Texts] = {
        Language.KK: "Бейнесабаққа сілтеме (http немесе https) керек.",
        Language.RU: "Для видеоурока нужна ссылка (http или https).",
        Language.EN: "A video lesson needs its link (http or https).",
    }


class PassMarkRequired(InvalidCourseField):
    code = "course-pass-mark-required"
    messages: ClassVar[Texts] = {
        Language.KK: "Тестке өту балын (0–100) көрсетіңіз.",
        Language.RU: "Укажите проходной балл теста (0–100).",
        Language.EN: "Give the test its pass mark (0–100).",
    }


class OnlyForTests(InvalidCourseField):
    """A test's setting (pass mark, attempts, final, questions) on a lesson that is not a test."""

    code = "course-only-for-tests"
    messages: ClassVar[Texts] = {
        Language.KK: "Бұл баптау тек тест сабақтарына арналған.",
        Language.RU: "Эта настройка есть только у уроков-тестов.",
        Language.EN: "This setting belongs to test lessons only.",
    }


class TooFewOptions(InvalidCourseField):
    code = "course-too-few-options"
    messages: ClassVar[Texts] = {
        Language.KK: "Сұрақтың кемінде {least} жауап нұсқасы болуы керек.",
        Language.RU: "У вопроса должно быть не меньше {least} вариантов ответа.",
        Language.EN: "A question needs at least {least} options.",
    }


class NoCorrectOption(InvalidCourseField):
    code = "course-no-correct-option"
    messages: ClassVar[Texts] = {
        Language.KK: "Кемінде бір дұрыс жауапты белгілеңіз.",
        Language.RU: "Отметьте хотя бы один правильный ответ.",
        Language.EN: "Mark at least one option as correct.",
    }


class OrderMismatch(InvalidCourseField):
    """A new order that does not name each item exactly once."""

    code = "course-order-mismatch"
    messages: ClassVar[Texts] = {
        Language.KK: "Жаңа ретте әр элемент дәл бір рет аталуы керек.",
        Language.RU: "В новом порядке каждый элемент должен быть назван ровно один раз.",
        Language.EN: "The new order must name every item exactly once.",
    }


class NotATest(Conflict):
    """Questions belong to test lessons only."""

    code = "course-lesson-not-a-test"
    messages: ClassVar[Texts] = {
        Language.KK: "Сұрақтарды тек тест сабағына қосуға болады.",
        Language.RU: "Вопросы можно добавлять только в урок-тест.",
        Language.EN: "Questions can be added to test lessons only.",
    }
