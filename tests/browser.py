"""Browser fixtures: Debian's Chromium driven by Playwright against pytest-django's
live_server (DESIGN §10), and an axe-core check that fails on serious or critical issues."""

import os
import shutil
from pathlib import Path

import pytest

from core.tests.factories import TEST_PASSPHRASE
from tests.data import restore_migrated_data
from tests.services import require_service

ROOT = Path(__file__).resolve().parents[1]
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
ARTIFACTS = ROOT / "test-artifacts"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
PHONE = {"width": 375, "height": 812}
TABLET = {"width": 820, "height": 1180}
DESKTOP = {"width": 1280, "height": 900}


def _chromium_path() -> str | None:
    return (
        os.environ.get("CHROMIUM_PATH")
        or shutil.which("chromium")
        or ("/usr/bin/chromium" if os.path.exists("/usr/bin/chromium") else None)
    )


@pytest.fixture(scope="session")
def browser():
    executable = _chromium_path()
    require_service("chromium", executable is not None)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def new_page(browser, live_server):
    """new_page(PHONE) → a page in a fresh browser context (its own cookies) whose relative
    URLs go to the live server."""
    restore_migrated_data()
    contexts = []

    def make(viewport=DESKTOP):
        context = browser.new_context(
            viewport=viewport, base_url=live_server.url, has_touch=viewport is PHONE
        )
        context.set_default_timeout(10_000)
        contexts.append(context)
        return context.new_page()

    yield make
    for context in contexts:
        context.close()


@pytest.fixture
def page(new_page):
    return new_page()


def sign_in(page, username: str, passphrase: str = TEST_PASSPHRASE, language: str = "en"):
    page.goto(f"/{language}/sign-in/")
    page.get_by_label("Username" if language == "en" else "Enw defnyddiwr").fill(username)
    page.locator("#id_password").fill(passphrase)
    page.locator("main button[type=submit]").click()
    page.wait_for_load_state()


def screenshot(page, name: str) -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def assert_accessible(page) -> None:
    """Run axe-core (WCAG 2.0–2.2 A and AA rules) on the page; fail on serious or critical."""
    require_service("axe-core (npm ci)", AXE.exists())
    # Evaluated through the browser's debugging protocol rather than added as a <script>: the
    # pages' Content-Security-Policy (rightly) refuses inline script.
    page.evaluate(AXE.read_text())
    result = page.evaluate(
        """() => axe.run(document, {runOnly: {type: 'tag', values:
            ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa']}})"""
    )
    problems = [
        f"{v['impact']}: {v['id']} – {v['help']} at {[n['target'] for n in v['nodes']][:3]}"
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
    ]
    assert not problems, f"axe-core on {page.url}:\n" + "\n".join(problems)


def assert_fits_width(page) -> None:
    """Nothing scrolls sideways at this viewport (WCAG 1.4.10 reflow)."""
    overflow = page.evaluate(
        "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    if overflow > 0:
        widest = page.evaluate(
            """() => {
                const width = document.documentElement.clientWidth;
                return [...document.querySelectorAll('body *')]
                    .filter(el => el.getBoundingClientRect().right > width)
                    .slice(0, 5).map(el => el.tagName + '.' + el.className + '#' + el.id);
            }"""
        )
        raise AssertionError(f"{page.url} scrolls sideways by {overflow}px: {widest}")


def choose(field, text: str, typed: str | None = None) -> None:
    """Pick `text` in an autocomplete (core.widgets.AutocompleteSelect), as a person would:
    type part of it into the box (`field`, a Locator), then tap the option."""
    from playwright.sync_api import expect

    expect(field).to_have_attribute("role", "combobox")  # the script has turned the select into it
    field.fill(typed or text[:4])
    field.page.get_by_role("option", name=text, exact=True).click()
