"""The import rule of docs/ARCHITECTURE.md, checked by walking every module's imports with `ast`."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "casino_app"
MODULES = sorted(p for p in PACKAGE.rglob("*.py") if "__pycache__" not in p.parts)
OUTCOME_MODULES = (
    "casino_app/domain/games/rng.py",
    "casino_app/domain/games/lotto.py",
    "casino_app/domain/games/dice.py",
    "casino_app/domain/games/roulette.py",
    "casino_app/domain/games/slot.py",
    "casino_app/domain/games/fairness.py",
)


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


@pytest.mark.parametrize("rel_path", OUTCOME_MODULES)
def test_outcome_code_imports_no_wallet_player_or_statistics_module(rel_path: str) -> None:
    """RTS 7A, AGCO 21.1.5: no compensated or adaptive outcomes."""
    forbidden = (
        "casino_app.domain.money",
        "casino_app.domain.identity",
        "casino_app.domain.compliance",
        "casino_app.domain.games.uniformity",
        "statistics",
    )
    imports = _imports(ROOT / rel_path)
    assert [name for name in sorted(imports) if any(_uses({name}, top) for top in forbidden)] == []


def _in(rel_path: str, *folders: str) -> bool:
    return any(rel_path.startswith(f"casino_app/{folder}") for folder in folders)


LAYER_RULES = [
    # (modules under, may not import, why)
    (
        ("services/",),
        ("reflex", "fastapi", "starlette", "casino_app.ui", "casino_app.api", "casino_app.jobs"),
        "services are called by every entry point and know none of them",
    ),
    (("ui/", "api/"), ("casino_app.persistence.tables",), "entry points get DTOs, never table models"),
    (
        ("persistence/",),
        ("casino_app.services", "casino_app.ui", "casino_app.api"),
        "persistence sits below services",
    ),
    (
        ("domain/",),
        ("casino_app.services", "casino_app.persistence", "casino_app.adapters", "casino_app.config"),
        "the domain is pure",
    ),
]


@pytest.mark.parametrize(("under", "forbidden", "why"), LAYER_RULES, ids=[r[0][0] for r in LAYER_RULES])
def test_layers_import_only_downwards(under: tuple[str, ...], forbidden: tuple[str, ...], why: str) -> None:
    offenders = [
        f"{_rel(p)} imports {name}"
        for p in MODULES
        if _in(_rel(p), *under)
        for name in sorted(_imports(p))
        if any(_uses({name}, top) for top in forbidden)
    ]
    assert offenders == [], why


def test_the_layer_rules_notice_an_offending_import() -> None:
    found = imported_modules("from casino_app.persistence.tables import Bet\n", "casino_app/ui/state/x.py")
    assert _uses(found, "casino_app.persistence.tables")


def test_no_module_is_over_400_lines() -> None:
    long = {_rel(p): n for p in MODULES if (n := len(p.read_text(encoding="utf-8").splitlines())) > 400}
    assert long == {}


def test_no_folder_grows_past_a_handful_of_modules_without_grouping() -> None:
    """services/ and domain/ are grouped by capability: only shared modules stay at their top."""
    for layer in ("services", "domain"):
        top = sorted(p.name for p in (PACKAGE / layer).glob("*.py") if p.name != "__init__.py")
        assert len(top) <= 5, f"{layer}/ has {top}: group them by capability"


def test_no_package_holds_more_than_fourteen_modules() -> None:
    """A folder that keeps growing is split by capability (ui/state/, services/games/lotto/)."""
    crowded = {
        _rel(folder): count
        for folder in [PACKAGE, *(p for p in PACKAGE.rglob("*") if p.is_dir() and p.name != "__pycache__")]
        if (count := len([m for m in folder.glob("*.py") if m.name != "__init__.py"])) > 14
    }
    assert crowded == {}
