"""At phone width (375px), in English and Welsh: a participant's own page in plain words,
changing and withdrawing what they sent, naming a barrier that a facilitator then accepts;
the passphrase slip printed; and the tables people read on a phone (My page, moderation,
common ground, the evaluation) stacked into cards with no sideways scrolling and codes such
as P-001 on one line."""

import pytest

from assets.models import AssetCategory, AssetStatus
from assets.tests.factories import AssetFactory
from core.models import Role
from participants.models import Consent, InformationSheet
from participants.services import response_record
from participants.tests.factories import ParticipantFactory
from tests.browser import PHONE, assert_accessible, screenshot, sign_in
from workshops.models import Barrier, BarrierProposal

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def fits_phone(page) -> None:
    """The whole page never scrolls sideways: the tables reflow instead."""
    widths = page.evaluate("() => [document.scrollingElement.scrollWidth, window.innerWidth]")
    assert widths[0] <= widths[1], f"{page.url} is {widths[0]}px wide in a {widths[1]}px window"


def one_line(page, selector: str) -> None:
    """The element (a code such as P-001) sits on one line: no taller than its line height."""
    height, line = page.locator(selector).first.evaluate(
        """el => [el.getBoundingClientRect().height,
                  parseFloat(getComputedStyle(el).lineHeight)]"""
    )
    assert height <= line * 1.2, f"{selector} is {height}px tall for a {line}px line"


def check(page, name: str) -> None:
    fits_phone(page)
    assert_accessible(page)
    screenshot(page, name)


@pytest.fixture
def amira(make_user):
    user = make_user(Role.PARTICIPANT)
    person = ParticipantFactory(user=user, display_name="Amira", cohort="refugee")
    Consent.objects.create(
        participant=person,
        sheet=InformationSheet.objects.get(version="1.0"),
        scope="take_part",
        method="written",
        given_on="2026-01-05",
    )
    response_record(
        participant=person,
        instrument="ons4",
        time_point="baseline",
        answers={"ons4_satisfaction": 7, "ons4_worthwhile": 8, "ons4_happiness": 6},
        by=user,
        completed_on="2026-11-30",
    )
    AssetFactory(
        name="Mayhill Pantry",
        status=AssetStatus.SUBMITTED,
        on_behalf_of=person,
        category=AssetCategory.objects.get(slug="food-support"),
    )
    return user


@pytest.mark.parametrize("language", ["en", "cy"])
def test_my_page_on_a_phone_in_plain_words(new_page, amira, language):
    page = new_page(PHONE)
    sign_in(page, amira.username, language=language)
    page.goto(f"/{language}/me/")
    assert page.locator("h1").inner_text() == {"en": "Hello, Amira", "cy": "Helo, Amira"}[language]
    answers = page.locator("#answers").inner_text()
    expected = {
        "en": ["How satisfied you are with your life: 7 out of 10 (high)", "30 November 2026"],
        "cy": ["Pa mor fodlon ydych chi ar eich bywyd: 7 allan o 10 (uchel)", "30 Tachwedd 2026"],
    }[language]
    assert all(text in answers for text in expected), answers
    assert "ons4_" not in page.content()
    one_line(page, ".govuk-caption-l .app-nowrap")
    check(page, f"my-page-{language}-phone")


def test_a_participant_changes_then_withdraws_a_submission_and_names_a_barrier(
    new_page, amira, make_user
):
    page = new_page(PHONE)
    sign_in(page, amira.username)
    page.goto("/en/me/")
    page.get_by_role("link", name="Change Mayhill Pantry").click()
    page.get_by_label("Name", exact=True).fill("Mayhill Community Pantry")
    page.get_by_role("button", name="Save").click()
    assert "Your changes are saved" in page.locator("main").inner_text()
    page.get_by_role("link", name="Withdraw Mayhill Community Pantry").click()
    check(page, "withdraw-phone")
    page.get_by_role("button", name="Withdraw it").click()
    assert "“Mayhill Community Pantry” is withdrawn." in page.locator("main").inner_text()

    page.get_by_role("button", name="Name a barrier").click()
    check(page, "name-barrier-phone")
    page.get_by_role("button", name="Send to a facilitator").click()
    assert (
        "Say what gets in your way, in a few words"
        in page.locator(".govuk-error-summary").inner_text()
    )
    page.get_by_label("What gets in your way?").fill("No bus after six")
    page.get_by_label("What is it about? (if you know)").select_option("transport")
    page.get_by_role("button", name="Send to a facilitator").click()
    assert "No bus after six" in page.locator("#my-barriers ~ table").inner_text()
    check(page, "my-page-barrier-named-phone")

    desk = new_page(PHONE)
    sign_in(desk, make_user(Role.FACILITATOR).username)
    desk.goto("/en/barriers/named/")
    check(desk, "barriers-named-phone")
    desk.get_by_role("button", name="Accept – No bus after six").click()
    assert Barrier.objects.get().title == "No bus after six"
    assert BarrierProposal.objects.get().status == "accepted"


@pytest.mark.parametrize("language", ["en", "cy"])
def test_staff_tables_stack_on_a_phone_with_codes_on_one_line(new_page, make_user, language):
    person = ParticipantFactory(code="P-001")
    AssetFactory(
        name="A very long name for a community pantry that would widen a table",
        status=AssetStatus.SUBMITTED,
        on_behalf_of=person,
    )
    Barrier.objects.create(
        site=person.site, title="No evening buses", kind="transport", affects="both"
    )
    page = new_page(PHONE)
    sign_in(page, make_user(Role.COORDINATOR).username, language=language)
    for path, name in [
        ("moderation/", "moderation"),
        ("common-ground/", "common-ground"),
        ("evaluation/", "evaluation"),
        ("evaluation/report/", "evaluation-report"),
        ("participants/", "participants"),
    ]:
        page.goto(f"/{language}/{path}")
        fits_phone(page)
        assert_accessible(page)
        if name in ("moderation", "participants"):
            one_line(page, "main .app-nowrap")
        screenshot(page, f"{name}-{language}-phone")


def test_the_passphrase_slip_prints_without_the_site_around_it(new_page, make_user):
    page = new_page(PHONE)
    sign_in(page, make_user(Role.COORDINATOR).username)
    page.goto("/en/accounts/new/")
    page.get_by_label("Username").fill("gwen")
    page.get_by_label("Welsh").check()
    page.get_by_role("button", name="Create sign-in").click()
    words = page.locator("#passphrase-words li").all_inner_texts()
    assert len(words) == 4 and page.locator("#issued-passphrase").inner_text() == "-".join(words)
    assert page.get_by_role("button", name="Print this slip").is_visible()
    check(page, "passphrase-slip-phone")
    page.emulate_media(media="print")
    assert not page.locator(".app-header").is_visible()
    assert not page.get_by_role("button", name="Print this slip").is_visible()
    assert page.locator(".app-slip").is_visible()
