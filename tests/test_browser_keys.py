"""A coordinator opens personal details that the configured keys cannot decrypt: the page says
so, in English and Welsh, on a phone, offers no form, and is axe-clean."""

import pytest

from core.models import Role
from participants import services
from participants.models import InformationSheet
from tests.browser import PHONE, assert_accessible, assert_fits_width, screenshot, sign_in

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

MESSAGE = {
    "en": "encrypted with a key this installation does not have",
    "cy": "ag allwedd nad yw ar gael i'r gosodiad",
}


def test_details_under_a_missing_key_say_so_and_offer_no_form(new_page, make_user, settings):
    coordinator = make_user(Role.COORDINATOR)
    participant = services.participant_register(
        by=coordinator,
        profile={"cohort": "refugee", "display_name": "Amal"},
        personal={"full_name": "Amal Haddad"},
        sheet=InformationSheet.objects.get(version="1.0"),
        scopes=["take_part"],
        method="written",
    )
    settings.SALT_KEY = ["a-salt-this-installation-never-used-0123456789"]

    page = new_page(PHONE)
    sign_in(page, coordinator.username)
    for language, message in MESSAGE.items():
        page.goto(f"/{language}/participants/{participant.code}/personal/")
        assert message in page.locator(".govuk-warning-text").inner_text()
        assert page.locator("main input[name=full_name]").count() == 0
        screenshot(page, f"personal-details-undecryptable-{language}-phone")
        assert_fits_width(page)
        assert_accessible(page)
