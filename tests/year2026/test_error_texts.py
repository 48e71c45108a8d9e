"""Every domain error speaks Kazakh, Russian and English, and each of its texts can be written out
with what it is raised with.

The errors are found, not listed: every module of our packages is imported, so a new error in a
new module is checked without anyone adding it here. Where it is raised is read from the source
(`raise SomeError(...)`), and each raise is replayed with the same argument names (literal values
as written, a stand-in for computed ones) to write its message in each language.
"""

from __future__ import annotations

import ast
import importlib
import inspect
import pkgutil
import string
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from year2026.errors import DOMAIN_STATUS
from year2026.exceptions import DomainError
from year2026.i18n import Language

PACKAGES = ("year2026", "events", "courses")
#: importing it runs the CLI
NOT_IMPORTED = {"__main__"}
#: what a computed argument is replaced with: it formats as text and passes numeric checks
STAND_IN = 7


def our_modules() -> list[ModuleType]:
    modules = []
    for name in PACKAGES:
        package = importlib.import_module(name)
        modules.append(package)
        for found in pkgutil.walk_packages(package.__path__, f"{name}."):
            if found.name.rsplit(".", 1)[-1] in NOT_IMPORTED:
                continue
            modules.append(importlib.import_module(found.name))
    return modules


MODULES = our_modules()


def every_subclass(cls: type[DomainError]) -> list[type[DomainError]]:
    found: list[type[DomainError]] = []
    for subclass in cls.__subclasses__():
        if subclass.__module__.split(".")[0] in PACKAGES:
            found.append(subclass)
        found.extend(every_subclass(subclass))
    return found


ERRORS = sorted(set(every_subclass(DomainError)) | {DomainError}, key=lambda c: c.__qualname__)


@dataclass(frozen=True)
class RaiseSite:
    error: type[DomainError]
    where: str
    args: tuple[Any, ...]
    kwargs: dict[str, Any]

    def __str__(self) -> str:
        return f"{self.error.__name__} at {self.where}"


def _argument(node: ast.expr) -> Any:
    try:
        return ast.literal_eval(node)
    except ValueError:
        return STAND_IN


def raise_sites() -> list[RaiseSite]:
    sites: list[RaiseSite] = []
    for module in MODULES:
        source_file = inspect.getsourcefile(module)
        if source_file is None:
            continue
        tree = ast.parse(Path(source_file).read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if not isinstance(node, ast.Raise) or node.exc is None:
                continue
            call = node.exc if isinstance(node.exc, ast.Call) else None
            named = call.func if call is not None else node.exc
            if not isinstance(named, ast.Name):
                continue
            error = getattr(module, named.id, None)
            if not (isinstance(error, type) and issubclass(error, DomainError)):
                continue
            args = tuple(_argument(arg) for arg in call.args) if call else ()
            kwargs = {kw.arg: _argument(kw.value) for kw in call.keywords if kw.arg} if call else {}
            where = f"{module.__name__}:{node.lineno}"
            sites.append(RaiseSite(error, where, args, kwargs))
    return sites


SITES = raise_sites()


def placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}


def test_errors_and_raise_sites_are_found() -> None:
    """The walk sees what we know is there (else the tests below would pass by seeing nothing)."""
    names = {error.__name__ for error in ERRORS}
    assert {"DomainError", "EmailTaken", "InvalidAccessToken", "InvalidCursor"} <= names
    assert {"RoleRequired", "NotAMember", "InvalidCursor"} <= {s.error.__name__ for s in SITES}


@pytest.mark.parametrize("error", ERRORS, ids=lambda error: error.__qualname__)
def test_domain_error_has_its_text_in_kk_ru_and_en(error: type[DomainError]) -> None:
    texts = {language: error.messages.get(language, "").strip() for language in Language}
    assert all(texts.values()), texts
    # the same values go into each language
    assert len({frozenset(placeholders(text)) for text in texts.values()}) == 1, texts


@pytest.mark.parametrize("error", ERRORS, ids=lambda error: error.__qualname__)
def test_domain_error_with_its_own_code_has_its_own_texts(error: type[DomainError]) -> None:
    """Else a specific error would say only its category's general words (the categories
    themselves may)."""
    if "code" in vars(error) and error not in DOMAIN_STATUS:
        assert "messages" in vars(error)


def test_domain_error_codes_are_unique() -> None:
    """Among the errors that name a code (an abstract step between, like a common base of several
    outages, keeps its parent's)."""
    codes = [error.code for error in ERRORS if "code" in vars(error)]
    assert sorted(code for code in codes if codes.count(code) > 1) == []


@pytest.mark.parametrize("site", SITES, ids=str)
def test_raised_domain_error_writes_its_message_in_each_language(site: RaiseSite) -> None:
    error = site.error(*site.args, **site.kwargs)
    for language in Language:
        message = error.message(language)
        assert message, language
        assert "{" not in message, message
