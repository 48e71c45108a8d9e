"""What can go wrong with people, sessions, organizations and roles (no HTTP here)."""

from __future__ import annotations

from typing import ClassVar

from year2026.exceptions import Conflict, InvalidInput, NotAuthenticated, NotFound, PermissionDenied
from year2026.i18n import Language, Texts


class EmailTaken(Conflict):
    code = "email-taken"
    messages: ClassVar[Texts] = {
        Language.KK: "Бұл электрондық поштамен тіркелгі бар. Кіріп көріңіз.",
        Language.RU: "Аккаунт с этой почтой уже есть. Попробуйте войти.",
        Language.EN: "An account with this email already exists. Try signing in.",
    }


class WeakPassword(InvalidInput):
    code = "weak-password"
    messages: ClassVar[Texts] = {
        Language.KK: "Құпиясөз кемінде {min_length} таңбадан тұруы және email-ге ұқсамауы керек.",
        Language.RU: "Пароль должен быть не короче {min_length} символов и не совпадать с почтой.",
        Language.EN: "Use {min_length} or more characters, and not your email, as the password.",
    }


class InvalidCredentials(NotAuthenticated):
    """The same answer for an unknown email and a wrong password."""

    code = "invalid-credentials"
    messages: ClassVar[Texts] = {
        Language.KK: "Email немесе құпиясөз қате.",
        Language.RU: "Неверная почта или пароль.",
        Language.EN: "Wrong email or password.",
    }


class SessionEnded(NotAuthenticated):
    """A refresh token that is unknown, expired, revoked, or already used."""

    code = "session-ended"
    messages: ClassVar[Texts] = {
        Language.KK: "Сеанс аяқталды. Қайта кіріңіз.",
        Language.RU: "Сеанс завершён. Войдите снова.",
        Language.EN: "Your session has ended. Please sign in again.",
    }


class PersonNotFound(NotFound):
    code = "person-not-found"
    messages: ClassVar[Texts] = {
        Language.KK: "Мұндай адам табылмады.",
        Language.RU: "Такой человек не найден.",
        Language.EN: "No such person.",
    }


class OrganizationNotFound(NotFound):
    code = "organization-not-found"
    messages: ClassVar[Texts] = {
        Language.KK: "Мұндай ұйым табылмады.",
        Language.RU: "Такая организация не найдена.",
        Language.EN: "No such organization.",
    }


class NotAMember(PermissionDenied):
    """An organizer acting for an organization they do not belong to."""

    code = "not-a-member"
    messages: ClassVar[Texts] = {
        Language.KK: "Сіз бұл ұйымның атынан әрекет ете алмайсыз.",
        Language.RU: "Вы не можете действовать от имени этой организации.",
        Language.EN: "You cannot act for this organization.",
    }


class RoleRequired(PermissionDenied):
    code = "role-required"
    messages: ClassVar[Texts] = {
        Language.KK: "Бұл әрекет үшін «{role}» рөлі қажет.",
        Language.RU: "Для этого действия нужна роль «{role}».",
        Language.EN: "This needs the “{role}” role.",
    }


class AlreadyMember(Conflict):
    code = "already-member"
    messages: ClassVar[Texts] = {
        Language.KK: "Бұл адам ұйымның мүшесі болып тұр.",
        Language.RU: "Этот человек уже состоит в организации.",
        Language.EN: "This person is already a member of the organization.",
    }


class LastAdmin(Conflict):
    code = "last-admin"
    messages: ClassVar[Texts] = {
        Language.KK: "Соңғы әкімшінің рөлін алып тастауға болмайды.",
        Language.RU: "Нельзя снять роль с последнего администратора.",
        Language.EN: "The last admin cannot lose the role.",
    }
