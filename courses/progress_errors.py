"""What learning refuses, in kk/ru/en (mapped to HTTP in `year2026.errors`): steps of learners
who hold no seat, tests marked done by hand, attempts used up, answers that name no question of
the test, and instructors' records out of their cohort."""

from __future__ import annotations

from typing import ClassVar

from year2026.exceptions import Conflict, InvalidInput, PermissionDenied
from year2026.i18n import Language, Texts


class EnrolmentWaitlisted(Conflict):
    """Only a confirmed enrolment makes progress: a waitlisted learner has no seat yet."""

    code = "enrolment-waitlisted"
    messages: ClassVar[Texts] = {
        Language.KK: "Сіз әзірге күту тізіміндесіз: орын берілгенде оқуды бастай аласыз.",
        Language.RU: "Вы пока в листе ожидания: учиться можно будет, когда освободится место.",
        Language.EN: "You are still on the waitlist: you can start learning once you get a seat.",
    }


class EnrolmentEnded(Conflict):
    """Withdrawn (or its cohort cancelled): nothing more is recorded on it."""

    code = "enrolment-ended"
    messages: ClassVar[Texts] = {
        Language.KK: "Бұл курсқа жазылу аяқталған: оқу прогресі енді жазылмайды.",
        Language.RU: "Эта запись на курс завершена: прогресс больше не записывается.",
        Language.EN: "This enrolment has ended: no more progress is recorded on it.",
    }


class TestNotMarkable(Conflict):
    """A test is done when it is passed, not when it is marked."""

    code = "test-not-markable"
    messages: ClassVar[Texts] = {
        Language.KK: "Тест белгімен емес, өту балымен орындалады: тестті тапсырыңыз.",
        Language.RU: "Тест нельзя отметить пройденным: его нужно сдать.",
        Language.EN: "A test cannot be marked done: it is done when you pass it.",
    }


class LessonNotATest(Conflict):
    code = "lesson-not-a-test"
    messages: ClassVar[Texts] = {
        Language.KK: "Бұл сабақ тест емес: оған жауап жіберуге болмайды.",
        Language.RU: "Этот урок не тест: ответы на него не отправляются.",
        Language.EN: "This lesson is not a test: it takes no answers.",
    }


class NoAttemptsLeft(Conflict):
    code = "no-attempts-left"
    shows_params = True
    messages: ClassVar[Texts] = {
        Language.KK: "Бұл тестке берілген {max_attempts} әрекеттің бәрі пайдаланылды.",
        Language.RU: "Все попытки этого теста ({max_attempts}) использованы.",
        Language.EN: "All {max_attempts} attempts at this test have been used.",
    }


class UnknownQuestion(InvalidInput):
    """An answer to a question that is not one of this test's (`field` names the answer)."""

    code = "unknown-question"
    messages: ClassVar[Texts] = {
        Language.KK: "Жауап бұл тестте жоқ сұраққа берілген.",
        Language.RU: "Ответ дан на вопрос, которого нет в этом тесте.",
        Language.EN: "An answer names a question that is not in this test.",
    }


class UnknownOption(InvalidInput):
    """A chosen option that is not one of its question's (`field` names the answer)."""

    code = "unknown-option"
    messages: ClassVar[Texts] = {
        Language.KK: "Таңдалған нұсқа бұл сұрақтың нұсқаларының бірі емес.",
        Language.RU: "Выбранный вариант не относится к этому вопросу.",
        Language.EN: "A chosen option is not one of its question's options.",
    }


class NotAnInstructor(PermissionDenied):
    """Only the cohort's instructors (and admins) record attendance and scores."""

    code = "not-an-instructor"
    messages: ClassVar[Texts] = {
        Language.KK: "Қатысу мен бағаны тек осы топтың оқытушылары жаза алады.",
        Language.RU: "Посещаемость и оценки записывают только преподаватели этой группы.",
        Language.EN: "Only this cohort's instructors record attendance and scores.",
    }


class NotAMeeting(InvalidInput):
    """`meeting_start` is not the original start of one of the class's meetings."""

    code = "not-a-meeting-of-the-class"
    messages: ClassVar[Texts] = {
        Language.KK: "Бұл уақытта сабақтың кездесуі жоқ.",
        Language.RU: "В это время у занятия нет встречи.",
        Language.EN: "The class has no meeting starting at this time.",
    }


class NotALearnerOfTheCohort(InvalidInput):
    """An attendance entry for an enrolment that is not a confirmed one of the cohort."""

    code = "not-a-learner-of-the-cohort"
    messages: ClassVar[Texts] = {
        Language.KK: "Бұл жазылу осы топтың расталған тыңдаушысына тиесілі емес.",
        Language.RU: "Эта запись не принадлежит подтверждённому слушателю группы.",
        Language.EN: "This enrolment is not a confirmed learner's of the cohort.",
    }


class NothingToRecord(InvalidInput):
    code = "nothing-to-record"
    messages: ClassVar[Texts] = {
        Language.KK: "Жазатын ештеңе жоқ: сабақтың орындалғанын немесе балды көрсетіңіз.",
        Language.RU: "Нечего записывать: укажите, что урок пройден, или оценку.",
        Language.EN: "Nothing to record: say that the lesson is done, or give a score.",
    }


class ScoreOfTestsOnly(InvalidInput):
    code = "score-of-tests-only"
    messages: ClassVar[Texts] = {
        Language.KK: "Балл тек тестке қойылады.",
        Language.RU: "Оценка ставится только за тест.",
        Language.EN: "Only a test takes a score.",
    }
