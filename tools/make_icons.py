#!/usr/bin/env python3
"""Render the app's PNG icons from assets/icon.svg in Chromium (run once; the PNGs are committed).

    python tools/make_icons.py [--chromium /usr/bin/chromium]

Writes assets/icons/icon-192.png, icon-512.png (the rounded tile as drawn) and
maskable-512.png (full-bleed background, the ball inside the central 80 % safe zone, so a
launcher's circle or squircle mask never cuts it).
"""

from __future__ import annotations

import argparse
import shutil
from pathlib import Path

from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parents[1]
SVG = ROOT / "assets" / "icon.svg"
OUT = ROOT / "assets" / "icons"
BACKGROUND = "#1a1712"
# (file, size, maskable)
ICONS = (("icon-192.png", 192, False), ("icon-512.png", 512, False), ("maskable-512.png", 512, True))


def page_for(svg: str, size: int, maskable: bool) -> str:
    """An HTML page showing the icon at `size` pixels; the maskable one on a full-bleed background.

    The ball (radius 31 % of the tile) already sits inside the maskable 40 % safe circle.
    """
    inner = size
    sized = svg.replace("<svg ", '<svg width="100%" height="100%" ', 1)
    return (
        "<!doctype html><html><body style='margin:0;background:transparent'>"
        f"<div style='width:{size}px;height:{size}px;display:flex;align-items:center;"
        f"justify-content:center;background:{BACKGROUND if maskable else 'transparent'}'>"
        f"<div style='width:{inner}px;height:{inner}px'>{sized}</div>"
        "</div></body></html>"
    )


def render(chromium: str) -> None:
    svg = SVG.read_text(encoding="utf-8")
    OUT.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=chromium, args=["--no-sandbox"])
        for name, size, maskable in ICONS:
            page = browser.new_page(viewport={"width": size, "height": size})
            page.set_content(page_for(svg, size, maskable))
            page.screenshot(path=str(OUT / name), omit_background=not maskable)
            page.close()
            print(f"wrote {OUT / name}")
        browser.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--chromium", default=shutil.which("chromium") or "/usr/bin/chromium")
    render(parser.parse_args().chromium)


if __name__ == "__main__":
    main()
