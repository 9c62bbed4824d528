"""The player app's text in English and Polish: one catalog per language, kept in JSON.

Each language is a folder of namespace files (`catalogs/en/lobby.json` ...); a key is
`namespace.name` ("lobby.next_draws"). Both languages must have exactly the same keys with the
same `{placeholders}` (tests/unit/test_i18n_catalogs.py fails on any gap). Pages never hold
player-facing text: they call `tr(key)` (ui/i18n/text.py); handlers build messages with
`text(lang, key, **params)`.
"""

from __future__ import annotations

import functools
import json
import string
from pathlib import Path

from casino_app.domain.identity.preferences import LANGUAGES as PLAYER_LANGUAGES

LANGUAGES: tuple[str, ...] = PLAYER_LANGUAGES
DEFAULT_LANGUAGE = "en"
LANGUAGE_NAMES = {"en": "English", "pl": "Polski"}
BABEL_LOCALES = {"en": "en_GB", "pl": "pl_PL"}
CATALOG_DIR = Path(__file__).parent / "catalogs"


class MissingText(KeyError):
    """A key that one of the catalogs does not have."""


@functools.cache
def catalog(lang: str) -> dict[str, str]:
    """Every key of one language, namespaced by its file's name."""
    entries: dict[str, str] = {}
    for path in sorted((CATALOG_DIR / lang).glob("*.json")):
        namespace = path.stem
        for name, value in json.loads(path.read_text(encoding="utf-8")).items():
            entries[f"{namespace}.{name}"] = value
    return entries


def supported(lang: str) -> str:
    """`lang` when we speak it, the default otherwise."""
    return lang if lang in LANGUAGES else DEFAULT_LANGUAGE


def from_accept_language(header: str) -> str:
    """The first language of an Accept-Language header that we speak ("pl-PL,pl;q=0.9" -> "pl")."""
    ranked: list[tuple[float, int, str]] = []
    for index, part in enumerate(header.split(",")):
        tag, _, params = part.strip().partition(";")
        quality = 1.0
        if params.strip().startswith("q="):
            try:
                quality = float(params.strip()[2:])
            except ValueError:
                quality = 0.0
        ranked.append((-quality, index, tag.split("-")[0].lower()))
    for _, _, lang in sorted(ranked):
        if lang in LANGUAGES:
            return lang
    return DEFAULT_LANGUAGE


def translations(key: str) -> dict[str, str]:
    """The text of `key` in every language; raises MissingText when one lacks it."""
    found = {}
    for lang in LANGUAGES:
        value = catalog(lang).get(key)
        if value is None:
            raise MissingText(f"{key!r} is missing in the {lang} catalog")
        found[lang] = value
    return found


def text(lang: str, key: str, **params: object) -> str:
    """`key` in `lang` with its placeholders filled ("{amount} won" -> "12,00 zł won")."""
    template = translations(key)[supported(lang)]
    return template.format(**params) if params else template


def placeholders(template: str) -> set[str]:
    """The `{names}` a template expects."""
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}
