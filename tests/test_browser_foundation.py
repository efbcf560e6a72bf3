"""The foundation as people meet it, in headless Chromium: the home page in English and Welsh
at phone and desktop width, sign-in errors, and a coordinator issuing a participant's sign-in."""

import pytest

from core.models import Role
from tests.browser import (
    DESKTOP,
    PHONE,
    assert_accessible,
    assert_fits_width,
    screenshot,
    sign_in,
)

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.mark.parametrize("language", ["en", "cy"])
@pytest.mark.parametrize(("size", "viewport"), [("phone", PHONE), ("desktop", DESKTOP)])
def test_home_page_reads_well_and_passes_axe(new_page, language, size, viewport):
    page = new_page(viewport)
    page.goto(f"/{language}/")
    heading = page.locator("h1").inner_text()
    assert heading == {"en": "Welcome to Cymuned", "cy": "Croeso i Cymuned"}[language]
    assert page.locator("html").get_attribute("lang") == language
    screenshot(page, f"home-{language}-{size}")
    assert_fits_width(page)
    assert_accessible(page)


def test_language_toggle_keeps_the_page(page):
    page.goto("/en/sign-in/")
    page.get_by_role("link", name="Cymraeg").click()
    page.wait_for_url("**/cy/sign-in/")
    assert page.locator("h1").inner_text() == "Mewngofnodi"
    page.get_by_role("link", name="English").click()
    page.wait_for_url("**/en/sign-in/")


def test_skip_link_is_first_and_moves_focus_to_main(page):
    page.goto("/en/")
    page.keyboard.press("Tab")
    focused = page.evaluate("() => document.activeElement.textContent.trim()")
    assert focused == "Skip to main content"
    page.keyboard.press("Enter")
    assert page.evaluate("() => location.hash") == "#main-content"


@pytest.mark.parametrize("language", ["en", "cy"])
def test_sign_in_error_summary_is_announced_and_accessible(new_page, language):
    page = new_page(PHONE)
    page.goto(f"/{language}/sign-in/")
    page.locator("main button[type=submit]").click()
    summary = page.locator(".govuk-error-summary")
    assert summary.is_visible()
    # GOV.UK Frontend moves focus to the summary so screen readers announce it.
    assert page.evaluate("() => document.activeElement.classList.contains('govuk-error-summary')")
    assert page.title().startswith({"en": "Error:", "cy": "Gwall:"}[language])
    screenshot(page, f"sign-in-error-{language}-phone")
    assert_accessible(page)


def test_coordinator_issues_a_sign_in_and_the_participant_uses_it_on_a_phone(new_page, make_user):
    coordinator = make_user(Role.COORDINATOR)
    desk = new_page(DESKTOP)
    sign_in(desk, coordinator.username)
    desk.get_by_role("link", name="Issue sign-ins").click()  # a card on the home page
    assert_accessible(desk)
    desk.get_by_role("button", name="Issue a new sign-in").click()
    desk.get_by_label("Username").fill("p-042")
    desk.get_by_label("Participant").check()
    assert_accessible(desk)
    desk.get_by_role("button", name="Create sign-in").click()
    passphrase = desk.locator("#issued-passphrase").inner_text()
    screenshot(desk, "passphrase-issued")
    assert_accessible(desk)

    phone = new_page(PHONE)
    sign_in(phone, "p-042", passphrase)
    assert phone.locator("h1").inner_text() == "Hello, p-042"
    assert phone.get_by_text("Add what is good here").is_visible()
    screenshot(phone, "participant-home-phone")
    assert_fits_width(phone)
    assert_accessible(phone)
