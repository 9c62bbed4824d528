"""The import rules of DESIGN.md, checked by walking every module's imports with `ast`."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "casino_app"
MODULES = sorted(p for p in PACKAGE.rglob("*.py") if "__pycache__" not in p.parts)
OUTCOME_MODULES = ("casino_app/domain/games/rng.py", "casino_app/domain/games/lotto.py")


def _rel(path: Path) -> str:
    return path.relative_to(ROOT).as_posix()


def _package_of(rel_path: str) -> str:
    parts = rel_path.removesuffix(".py").split("/")
    return ".".join(parts if parts[-1] == "__init__" else parts[:-1]).removesuffix(".__init__")


def imported_modules(source: str, rel_path: str) -> set[str]:
    """Absolute names of every module `source` imports, including relative and dynamic ones."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = _package_of(rel_path).split(".")
                anchor = anchor[: len(anchor) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            found.add(base)
            found.update(f"{base}.{alias.name}" for alias in node.names)
        elif isinstance(node, ast.Call) and _is_dynamic_import(node):
            arg = node.args[0] if node.args else None
            if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
                found.add(arg.value)
    return found


def _is_dynamic_import(node: ast.Call) -> bool:
    func = node.func
    name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
    return name in {"__import__", "import_module"}


def _imports(path: Path) -> set[str]:
    return imported_modules(path.read_text(encoding="utf-8"), _rel(path))


def _uses(imports: set[str], top: str) -> bool:
    return any(name == top or name.startswith(top + ".") for name in imports)


def _may_import_reflex(rel_path: str) -> bool:
    return rel_path.startswith("casino_app/ui/") or rel_path == "casino_app/casino_app.py"


def test_the_walk_finds_the_service_layer() -> None:
    names = {_rel(p) for p in MODULES}
    assert {
        "casino_app/domain/games/rng.py",
        "casino_app/services/money/ledger.py",
        "casino_app/cli/main.py",
    } <= names


def test_import_walker_sees_absolute_relative_and_dynamic_imports() -> None:
    source = (
        "import random\nfrom reflex import State\nfrom . import rng\n"
        "from ..services import ledger\nimport importlib\nimportlib.import_module('sqlmodel')\n"
    )
    found = imported_modules(source, "casino_app/domain/lotto.py")
    assert {
        "random",
        "reflex",
        "casino_app.domain.rng",
        "casino_app.services.ledger",
        "sqlmodel",
    } <= found
    assert _uses(found, "casino_app.services")
    assert not _uses({"reflexive"}, "reflex")


def test_only_ui_and_the_app_module_import_reflex() -> None:
    offenders = [_rel(p) for p in MODULES if not _may_import_reflex(_rel(p)) and _uses(_imports(p), "reflex")]
    assert offenders == []


@pytest.mark.parametrize("forbidden", ["sqlmodel", "sqlalchemy", "reflex", "alembic", "httpx"])
def test_domain_does_no_io_and_uses_no_orm(forbidden: str) -> None:
    domain = [p for p in MODULES if _rel(p).startswith("casino_app/domain/")]
    assert domain, "no domain modules found"
    assert [_rel(p) for p in domain if _uses(_imports(p), forbidden)] == []


def test_no_module_uses_the_random_module() -> None:
    assert [_rel(p) for p in MODULES if _uses(_imports(p), "random")] == []


@pytest.mark.parametrize("rel_path", OUTCOME_MODULES)
def test_outcome_code_imports_no_services_persistence_or_player_modules(
    rel_path: str,
) -> None:
    imports = _imports(ROOT / rel_path)
    own = {name for name in imports if _uses({name}, "casino_app")}
    outside_domain = {name for name in own if not _uses({name}, "casino_app.domain")}
    assert outside_domain == set()
    for layer in (
        "casino_app.services",
        "casino_app.persistence",
        "casino_app.adapters",
    ):
        assert not _uses(imports, layer)
