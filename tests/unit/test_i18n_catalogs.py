"""The catalogs: every key in both languages, placeholders alike, every key a page uses exists,
and no player-facing text written straight into a page."""

from __future__ import annotations

import ast
import re
from datetime import UTC, datetime
from pathlib import Path

import pytest

from casino_app.ui.i18n import catalog
from casino_app.ui.i18n.formats import Formats

ROOT = Path(__file__).resolve().parents[2] / "casino_app"
USED_KEY = re.compile(
    r"""(?<![\w.])(?:tr|text)\(\s*(?:[\w.()]+,\s*)?["']([a-z][a-z0-9_]*\.[a-z0-9_.]+)["']"""
)
# Player-facing UI code: every page a player sees, their layout and their components.
PLAYER_UI = [
    *sorted((ROOT / "ui" / "pages" / "player").glob("*.py")),
    *sorted((ROOT / "ui" / "pages" / "public").glob("*.py")),
    ROOT / "ui" / "layouts" / "player.py",
    *sorted((ROOT / "ui" / "components").glob("*.py")),
]
TEXT_PROPS = {"placeholder", "aria_label", "title", "label", "alt"}
NOT_TEXT_CALLS = {"icon", "color", "breakpoints", "script", "image", "match", "upload"}


def test_both_languages_have_the_same_keys() -> None:
    en, pl = catalog.catalog("en"), catalog.catalog("pl")
    assert sorted(set(en) - set(pl)) == [], "keys missing in the Polish catalog"
    assert sorted(set(pl) - set(en)) == [], "keys missing in the English catalog"


def test_no_empty_text_and_placeholders_alike_in_both_languages() -> None:
    en, pl = catalog.catalog("en"), catalog.catalog("pl")
    assert [k for k, v in {**en, **pl}.items() if not v.strip()] == []
    differing = [k for k in en if catalog.placeholders(en[k]) != catalog.placeholders(pl.get(k, ""))]
    assert differing == []


def test_every_key_the_code_uses_is_in_the_catalogs() -> None:
    known = set(catalog.catalog("en")) & set(catalog.catalog("pl"))
    used: dict[str, str] = {}
    for path in ROOT.rglob("*.py"):
        for key in USED_KEY.findall(path.read_text(encoding="utf-8")):
            used.setdefault(key, str(path.relative_to(ROOT)))
    missing = sorted(f"{key} ({where})" for key, where in used.items() if key not in known)
    assert missing == []


def test_a_missing_key_fails_loudly() -> None:
    with pytest.raises(catalog.MissingText):
        catalog.translations("nowhere.to_be_found")


def _looks_like_text(value: str) -> bool:
    """Words a person reads (not a colour name, a size or an id)."""
    letters = re.sub(r"[^A-Za-zÀ-ž]", "", value)
    return bool(letters) and (" " in value.strip() or value.strip()[:1].isupper())


def _rx_call_name(node: ast.Call) -> str | None:
    """ "text" for rx.text(...), "strong" for rx.text.strong(...), None for calls outside rx."""
    func, parts = node.func, []
    while isinstance(func, ast.Attribute):
        parts.append(func.attr)
        func = func.value
    if isinstance(func, ast.Name) and func.id == "rx" and parts:
        return parts[0]
    return None


def _literals(path: Path) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if not isinstance(node, ast.Call) or _rx_call_name(node) in (None, *NOT_TEXT_CALLS):
            continue
        values = [a for a in node.args if isinstance(a, ast.Constant | ast.JoinedStr)]
        values += [k.value for k in node.keywords if k.arg in TEXT_PROPS]
        for value in values:
            if not isinstance(value, ast.Constant | ast.JoinedStr):
                continue
            pieces = [value] if isinstance(value, ast.Constant) else value.values
            for piece in pieces:
                if (
                    isinstance(piece, ast.Constant)
                    and isinstance(piece.value, str)
                    and _looks_like_text(piece.value)
                ):
                    found.append(f"{path.relative_to(ROOT)}:{piece.lineno}: {piece.value!r}")
    return found


def test_player_pages_hold_no_text_of_their_own() -> None:
    found = [hit for path in PLAYER_UI for hit in _literals(path)]
    assert found == [], "player-facing text belongs in the catalogs (tr(key)):\n" + "\n".join(found)


def test_languages_follow_the_browser_on_a_first_visit() -> None:
    assert catalog.from_accept_language("pl-PL,pl;q=0.9,en-US;q=0.8") == "pl"
    assert catalog.from_accept_language("de-DE,en;q=0.7,pl;q=0.9") == "pl"
    assert catalog.from_accept_language("fr-FR") == "en"
    assert catalog.from_accept_language("") == "en"


def test_polish_amounts_and_dates_come_from_babel_in_the_players_zone() -> None:
    at = datetime(2026, 12, 1, 20, 0, tzinfo=UTC)
    polish = Formats("pl", "Europe/Warsaw")
    assert polish.money(123450, "PLN") == "1\u00a0234,50\u00a0zł"
    assert polish.when(at) == "1 gru 2026, 21:00"
    assert polish.draw_name("Lotto 6/49", at) == "Lotto 6/49 · wtorek 1 grudnia, 21:00"
    english = Formats("en", "America/New_York")
    assert english.money(123450, "EUR") == "€1,234.50"
    assert english.when(at) == "1 Dec 2026, 15:00"
    assert Formats("en", "Not/AZone").when(at) == "1 Dec 2026, 20:00"


def test_a_message_fills_its_placeholders_in_the_readers_language() -> None:
    key = next(k for k, v in catalog.catalog("en").items() if catalog.placeholders(v))
    params = {name: "X" for name in catalog.placeholders(catalog.catalog("en")[key])}
    assert "X" in catalog.text("pl", key, **params)
    assert catalog.text("xx", key, **params) == catalog.text("en", key, **params)
