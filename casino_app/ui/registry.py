"""The player pages the app registers, and what each runs on load (filled by `@player_page`).

Kept apart from the layout so states can re-run the current page's loaders (a language or time
zone switch, a live update) without importing the layout that imports them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import reflex as rx


@dataclass(frozen=True)
class PageSpec:
    route: str
    title: str
    component: Callable[[], rx.Component]
    on_load: list[Any]


PAGES: list[PageSpec] = []


def loaders_of(path: str) -> list[Any]:
    """The on-load events of the page at `path` ("/wallet"), none for an unknown path."""
    wanted = "/" + path.strip("/")
    for spec in PAGES:
        if "/" + spec.route.strip("/") == wanted:
            return list(spec.on_load)
    return []
