"""The import directions ARCHITECTURE.md promises, read from the source: a cycle would creep back
one convenient import at a time."""

from __future__ import annotations

import ast

import pytest

from tests.support.server import REPO_ROOT


def _imported_modules(package: str) -> dict[str, set[str]]:
    """Each module of `package` (a folder under the repo) → the modules it imports."""
    found: dict[str, set[str]] = {}
    for path in sorted((REPO_ROOT / package).rglob("*.py")):
        names: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
            if isinstance(node, ast.Import):
                names.update(alias.name for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                names.add(node.module)
                names.update(f"{node.module}.{alias.name}" for alias in node.names)
        found[str(path.relative_to(REPO_ROOT))] = names
    return found


def _offenders(package: str, forbidden: str) -> dict[str, list[str]]:
    return {
        module: sorted(
            name for name in names if name == forbidden or name.startswith(f"{forbidden}.")
        )
        for module, names in _imported_modules(package).items()
        if any(name == forbidden or name.startswith(f"{forbidden}.") for name in names)
    }


@pytest.mark.parametrize(
    ("package", "forbidden"),
    [
        ("year2026/people", "year2026.auth"),  # sign-in builds on people, not the other way
        ("events", "courses"),
        ("courses", "events"),
    ],
)
def test_package_does_not_import(package: str, forbidden: str) -> None:
    assert _offenders(package, forbidden) == {}


def test_the_layer_check_sees_imports() -> None:
    # the negative control: auth does import people, and the check must say so
    assert "year2026/auth/sessions.py" in _offenders("year2026/auth", "year2026.people")
