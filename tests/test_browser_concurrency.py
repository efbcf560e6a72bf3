"""Several people at once, in a real browser: a double tap on a slow phone adds one asset;
two tablets tick one register and both keep their ticks; a coordinator saving over a
colleague's change sees both versions, on a phone, axe-clean."""

import re

import pytest
from playwright.sync_api import expect

from assets.models import Asset
from assets.tests.factories import AssetFactory
from core.models import Role
from participants.tests.factories import ParticipantFactory
from tests.browser import (
    PHONE,
    TABLET,
    assert_accessible,
    assert_fits_width,
    choose,
    screenshot,
    sign_in,
)
from workshops.models import Attendance
from workshops.tests.factories import WorkshopFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_a_double_tap_on_send_adds_one_asset(new_page, make_user):
    phone = new_page(PHONE)
    sign_in(phone, make_user(Role.PARTICIPANT).username)
    phone.goto("/en/assets/new/")
    choose(phone.get_by_label("What kind of asset is it?"), "Community centre")
    phone.get_by_label("Name", exact=True).fill("Tuesday Tea")
    # A second tap while the first is on its way: the browser sends both.
    phone.get_by_role("button", name="Send for checking").evaluate(
        "button => { button.click(); setTimeout(() => button.click(), 20); }"
    )
    # The first navigation is cut short by the second: wait for where the second one lands.
    expect(phone).to_have_url(re.compile(r"/en/assets/mine/$"))
    assert Asset.objects.filter(name="Tuesday Tea").count() == 1
    # (The thanks may have gone to the first, cut-short page: only the list is certain.)
    assert phone.locator("main table").inner_text().count("Tuesday Tea") == 1


def test_two_tablets_ticking_one_register_keep_both_ticks(new_page, make_user):
    facilitator, coordinator = make_user(Role.FACILITATOR), make_user(Role.COORDINATOR)
    workshop = WorkshopFactory(facilitators=[facilitator])
    gwen = ParticipantFactory(display_name="Gwen")
    amal = ParticipantFactory(display_name="Amal")
    tablets = []
    for person in (facilitator, coordinator):
        tablet = new_page(TABLET)
        sign_in(tablet, person.username)
        tablet.goto(f"/en/workshops/{workshop.pk}/register/")
        tablets.append(tablet)
    tablets[0].get_by_label(f"Gwen ({gwen.code})").check()
    tablets[1].get_by_label(f"Amal ({amal.code})").check()
    for tablet in tablets:
        tablet.get_by_role("button", name="Save the register").click()
        assert "The register is saved." in tablet.locator("main").inner_text()
    ticked = Attendance.objects.filter(workshop=workshop).values_list("participant", flat=True)
    assert set(ticked) == {gwen.pk, amal.pk}


def test_saving_over_a_colleagues_change_shows_both_versions(new_page, make_user):
    asset = AssetFactory(name="Gors Park")
    phones = []
    for _ in range(2):
        phone = new_page(PHONE)
        sign_in(phone, make_user(Role.COORDINATOR).username)
        phone.goto(f"/en/assets/{asset.pk}/edit/")
        phones.append(phone)
    phones[0].get_by_label("Name", exact=True).fill("Gors Park Café")
    phones[0].get_by_role("button", name="Save").click()
    phones[1].get_by_label("Name", exact=True).fill("Gors Community Park")
    phones[1].get_by_role("button", name="Save").click()
    assert (
        "Someone else changed this since you opened it." in phones[1].locator("main").inner_text()
    )
    row = phones[1].locator("#edit-conflict tbody tr")
    assert row.all_inner_texts() == ["Name\tGors Park Café\tGors Community Park"]
    asset.refresh_from_db()
    assert asset.name == "Gors Park Café"
    screenshot(phones[1], "asset-edit-conflict-phone")
    assert_accessible(phones[1])
    assert_fits_width(phones[1])
    phones[1].get_by_role("button", name="Save").click()
    asset.refresh_from_db()
    assert asset.name == "Gors Community Park"
