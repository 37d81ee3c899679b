"""The web edition in a real browser: Debian's Chromium, headless, driven by Playwright for Python.

Each language's page is loaded at 390 px (a phone) and 1280 px (a desktop) from a local HTTP
server; the web fonts must have loaded (``document.fonts``) and set the text (Chromium's own
report of the fonts it used), no horizontal scroll may appear, and text must keep 4.5:1
contrast against what is behind it. With ``$PUBKIT_SCREENSHOTS`` set, full-page screenshots go
there (3 of the test's 15 s, so not otherwise).

Run as a script (``python tests/test_web_browser.py SITE OUT``) it saves the screenshots of a
built site, as docs/web-*.png were made.
"""

from __future__ import annotations

import functools
import http.server
import os
import shutil
import sys
import threading
from contextlib import contextmanager
from pathlib import Path

import pytest

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
LAUNCH_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
               "--disable-component-update", "--disable-sync", "--no-first-run"]
WIDTHS = {390: 844, 1280: 900}
LANGUAGES = ["vi", "en", "ja", "ko", "zh"]


def _playwright_missing() -> str | None:
    if CHROMIUM is None:
        return "no Chromium: apt-get install -y chromium (Debian) to load the pages in a real browser"
    import importlib.util

    if importlib.util.find_spec("playwright") is None:  # found, not imported: 0.2 s of every worker's collection
        return "Playwright for Python is not installed: pip install -e '.[dev]'"
    return None


pytestmark = pytest.mark.skipif(_playwright_missing() is not None, reason=_playwright_missing() or "")


@contextmanager
def serve(folder: Path):
    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(folder)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


@contextmanager
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=LAUNCH_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()


# Every element with its own text: its colour and the first opaque background behind it.
CONTRAST_JS = """() => {
  const rgb = s => (s.match(/[\\d.]+/g) || []).map(Number);
  const lum = ([r, g, b]) => { const f = c => { c /= 255; return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4; };
    return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b); };
  const background = el => { for (; el; el = el.parentElement) { const c = rgb(getComputedStyle(el).backgroundColor);
      if (c.length === 3 || c[3] > 0.99) return c.slice(0, 3); } return [255, 255, 255]; };
  const out = [];
  for (const el of document.body.querySelectorAll('*')) {
    const own = [...el.childNodes].some(n => n.nodeType === 3 && n.textContent.trim());
    const box = el.getBoundingClientRect();
    if (!own || box.width === 0 || box.height === 0 || getComputedStyle(el).visibility === 'hidden') continue;
    if (box.right < 0 || box.bottom < 0) continue;  // the skip link waits off-screen until focused
    const a = lum(rgb(getComputedStyle(el).color).slice(0, 3)), b = lum(background(el));
    out.push([el.tagName, el.textContent.trim().slice(0, 30), (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05)]);
  }
  return out;
}"""


def check_language(chromium, url: str, language: str, shots: Path | None) -> None:
    """One language's page: its fonts once, then the layout at each width (the viewport resized, not the
    page loaded again)."""
    page = chromium.new_page(viewport={"width": min(WIDTHS), "height": WIDTHS[min(WIDTHS)]})
    try:
        page.goto(url, wait_until="load")
        page.evaluate("() => document.fonts.ready.then(() => true)")
        faces = page.evaluate("() => [...document.fonts].map(f => [f.family, f.weight, f.status])")
        failed = [face for face in faces if face[2] == "error"]
        assert not failed, f"{language}: fonts failed to load: {failed}"
        own = {(family, weight) for family, weight, status in faces
               if family.startswith(f"pk-{language}-") and status == "loaded"}
        assert {weight for _, weight in own} >= {"400", "700"}, f"{language}: its fonts did not load: {faces}"
        # Chromium's own report of the fonts that set the title and the first paragraph: ours, not the system's
        cdp = page.context.new_cdp_session(page)
        cdp.send("DOM.enable")
        cdp.send("CSS.enable")
        root = cdp.send("DOM.getDocument")["root"]["nodeId"]
        for selector in ("h1", "main section p", "figcaption"):
            node = cdp.send("DOM.querySelector", {"nodeId": root, "selector": selector})["nodeId"]
            used = cdp.send("CSS.getPlatformFontsForNode", {"nodeId": node})["fonts"]
            system = [font for font in used if not font["isCustomFont"]]
            assert used and not system, f"{language} {selector}: set in system fonts {system}"
        for width, height in WIDTHS.items():
            page.set_viewport_size({"width": width, "height": height})
            scroll = page.evaluate("() => [document.documentElement.scrollWidth, window.innerWidth]")
            assert scroll[1] == width, f"{language}: the viewport is {scroll[1]} px, not {width}"
            assert scroll[0] <= scroll[1], f"{language} @ {width}: horizontal scroll ({scroll[0]} > {scroll[1]} px)"
            texts = page.evaluate(CONTRAST_JS)
            assert len(texts) > 20, texts  # the check saw the page's text
            low = [(tag, text, round(ratio, 2)) for tag, text, ratio in texts if ratio < 4.5]
            assert not low, f"{language} @ {width}: text below 4.5:1 contrast: {low[:5]}"
            if shots is not None:
                shots.mkdir(parents=True, exist_ok=True)
                page.screenshot(path=str(shots / f"demo-{language}-{width}.png"), full_page=True)
    finally:
        page.close()


@pytest.fixture(scope="module")
def served(built, tmp_path_factory):
    """The demo's site on a local HTTP server, and one Chromium for the module's tests."""
    from test_web import demo_site

    with serve(demo_site(built, tmp_path_factory)) as base, browser() as chromium:
        yield base, chromium


def test_pages_in_chromium(served):
    base, chromium = served
    shots = os.environ.get("PUBKIT_SCREENSHOTS")
    for language in LANGUAGES:
        check_language(chromium, f"{base}/{language}/index.html", language, Path(shots) if shots else None)
    if shots:
        assert len(list(Path(shots).glob("demo-*.png"))) >= 2 * len(LANGUAGES)


def test_images_have_loaded_with_their_alt_text(served):
    base, chromium = served
    page = chromium.new_page(viewport={"width": 1280, "height": 900})
    page.goto(f"{base}/ko/index.html", wait_until="load")
    page.evaluate("() => Promise.all([...document.images].map(i => (i.loading = 'eager', i.decode())))")
    images = page.evaluate("() => [...document.images].map(i => [i.naturalWidth, i.currentSrc, i.alt])")
    page.close()
    assert all(width > 0 and src.endswith(".webp") for width, src, _ in images), images
    assert [alt for _, _, alt in images if alt] == ["누이꼭 호수"]


def screenshots(site: Path, out: Path) -> None:
    """Viewport screenshots of every language at both widths (for docs/)."""
    with serve(site) as base, browser() as chromium:
        for language in LANGUAGES:
            for width, height in WIDTHS.items():
                page = chromium.new_page(viewport={"width": width, "height": height})
                page.goto(f"{base}/{language}/index.html", wait_until="load")
                page.evaluate("() => document.fonts.ready.then(() => true)")
                page.screenshot(path=str(out / f"web-{language}-{width}.png"))
                page.close()


if __name__ == "__main__":
    screenshots(Path(sys.argv[1]), Path(sys.argv[2]))
