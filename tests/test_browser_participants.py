"""A coordinator registers someone (with an interpreter), records consent and a baseline
questionnaire on their behalf and gives them a sign-in; the participant signs in on a phone
with the issued passphrase and sees their own page. axe-clean in English and Welsh."""

import pytest

from core.models import Role
from participants.models import Participant, PersonalDetails
from tests.browser import DESKTOP, PHONE, assert_accessible, assert_fits_width, screenshot, sign_in

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_coordinator_registers_and_the_participant_sees_their_page(new_page, make_user):
    desk = new_page(DESKTOP)
    sign_in(desk, make_user(Role.COORDINATOR).username)
    desk.goto("/en/participants/new/")
    assert_accessible(desk)
    desk.get_by_label("Person seeking sanctuary", exact=False)  # labels exist for every group
    desk.get_by_label("Refugee").check()
    desk.get_by_label("Known as").fill("Amal")
    desk.get_by_label("Preferred language").select_option("ar")
    desk.get_by_label("Needs an interpreter").check()
    desk.get_by_label("Take part in the project and its evaluation").check()
    desk.get_by_label("Spoken, with an interpreter").check()
    desk.get_by_label("Interpreter's language").select_option("ar")
    desk.get_by_label("Full name").fill("Amal Haddad")
    desk.get_by_label("Give them a sign-in").check()
    desk.get_by_role("button", name="Register").click()
    passphrase = desk.locator("#issued-passphrase").inner_text()
    username = desk.locator("#issued-username").inner_text()
    participant = Participant.objects.get()
    assert username == participant.code.lower()
    assert PersonalDetails.objects.get().full_name == "Amal Haddad"

    desk.goto(f"/en/participants/{participant.code}/")
    assert_accessible(desk)
    desk.get_by_role(
        "link", name="Answer – Short Warwick-Edinburgh Mental Wellbeing Scale (SWEMWBS), Baseline"
    ).click()
    for radio in desk.get_by_label("Often").all():
        radio.check()
    desk.get_by_label("An interpreter helped").check()
    screenshot(desk, "swemwbs-on-behalf")
    assert_accessible(desk)
    desk.get_by_role("button", name="Save answers").click()
    assert "Wellbeing score: 25.03 out of 35" in desk.locator("#answers").inner_text()

    for language in ("en", "cy"):
        phone = new_page(PHONE)
        sign_in(phone, username, passphrase, language=language)
        phone.goto(f"/{language}/me/")
        assert participant.code in phone.locator(".govuk-caption-l").inner_text()
        greeting = {"en": "Hello, Amal", "cy": "Helo, Amal"}[language]
        assert phone.locator("h1").inner_text() == greeting
        assert "25.03" in phone.locator("#answers").inner_text()
        screenshot(phone, f"my-page-{language}-phone")
        assert_fits_width(phone)
        assert_accessible(phone)
