"""The asset map as people use it: a participant adds an asset from a phone by tapping the
map, a coordinator publishes it, and it appears on the public map and list; nothing a
participant types can run as code; every page passes axe in English and Welsh."""

import pytest
from playwright.sync_api import expect

from assets.models import Asset, AssetStatus
from assets.tests.factories import AssetFactory
from core.models import Role
from tests.browser import (
    DESKTOP,
    PHONE,
    assert_accessible,
    assert_fits_width,
    choose,
    screenshot,
    sign_in,
)

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

XSS_NAME = "<img src=x onerror=alert(1)> Tuesday Café"


def fail_on_dialog(page, seen):
    page.on("dialog", lambda dialog: (seen.append(dialog.message), dialog.dismiss()))


def add_asset_on_phone(new_page, participant, name):
    phone = new_page(PHONE)
    sign_in(phone, participant.username)
    phone.goto("/en/assets/new/")
    choose(phone.get_by_label("What kind of asset is it?"), "Community centre")
    phone.get_by_label("Name", exact=True).fill(name)
    phone.get_by_label("What is good about it?").fill("Tea, chat and English practice.")
    phone.locator("#point-picker").tap()
    assert phone.locator("#pin-status").inner_text() == "Pin placed. Drag it to move it."
    assert '"type":"Point"' in phone.locator("#id_geometry").input_value()
    phone.get_by_label("Free").check()
    screenshot(phone, "asset-form-phone")
    assert_fits_width(phone)
    assert_accessible(phone)
    phone.get_by_role("button", name="Send for checking").click()
    assert "will be checked before it appears on the map" in phone.locator("main").inner_text()
    assert phone.get_by_text("Submitted – waiting for a check").is_visible()
    return phone


def publish(new_page, coordinator, name):
    desk = new_page(DESKTOP)
    sign_in(desk, coordinator.username)
    desk.goto("/en/moderation/")
    assert_accessible(desk)
    desk.get_by_role("link", name=name).click()
    assert_accessible(desk)
    home_check = desk.get_by_label("No: it is a public place, a group's venue or a service")
    if home_check.count():  # placed at a point or given an address: it could be a home
        home_check.check()
    desk.get_by_role("button", name="Publish", exact=True).click()
    assert f"Published “{name}”" in desk.locator("main").inner_text()


def test_participant_adds_on_a_phone_coordinator_publishes_public_sees_it(new_page, make_user):
    participant, coordinator = make_user(Role.PARTICIPANT), make_user(Role.COORDINATOR)
    add_asset_on_phone(new_page, participant, "Townhill Tuesday Tea")
    asset = Asset.objects.get(name="Townhill Tuesday Tea")
    assert asset.status == AssetStatus.SUBMITTED and asset.latitude is not None
    publish(new_page, coordinator, "Townhill Tuesday Tea")

    public = new_page(PHONE)
    public.goto("/en/map/")
    public.wait_for_selector("#asset-map[data-loaded='1']")
    assert public.get_by_role("link", name="Townhill Tuesday Tea").is_visible()
    public.locator(".leaflet-marker-icon.app-marker").first.tap()
    assert public.locator(".leaflet-popup-content").inner_text().startswith("Townhill Tuesday Tea")
    # Once the popup has faded in (Leaflet's 0.2 s): half-faded, its text is too faint for axe.
    expect(public.locator(".leaflet-popup")).to_have_css("opacity", "1")
    screenshot(public, "map-phone")
    assert_accessible(public)


def test_text_typed_by_a_participant_never_runs_as_code(new_page, make_user):
    participant, coordinator = make_user(Role.PARTICIPANT), make_user(Role.COORDINATOR)
    dialogs: list[str] = []
    phone = add_asset_on_phone(new_page, participant, XSS_NAME)
    fail_on_dialog(phone, dialogs)
    publish(new_page, coordinator, XSS_NAME)

    public = new_page(DESKTOP)
    fail_on_dialog(public, dialogs)
    public.goto("/en/map/")
    public.wait_for_selector("#asset-map[data-loaded='1']")
    public.locator(".leaflet-marker-icon.app-marker").first.click()
    assert XSS_NAME in public.locator(".leaflet-popup-content").inner_text()
    assert public.get_by_role("link", name=XSS_NAME).is_visible()
    public.get_by_role("link", name=XSS_NAME).click()
    assert public.locator("h1").inner_text() == XSS_NAME
    assert public.locator("img[src='x']").count() == 0
    public.wait_for_timeout(300)
    assert dialogs == []


@pytest.mark.parametrize("language", ["en", "cy"])
def test_map_detail_and_form_pages_pass_axe(new_page, make_user, language):
    AssetFactory(name="Gors Community Garden", description="Growing food together.")
    page = new_page(DESKTOP)
    page.goto(f"/{language}/map/")
    page.wait_for_selector("#asset-map[data-loaded='1']")
    heading = {"en": "What is strong around here", "cy": "Beth sy'n gryf yn yr ardal hon"}
    assert page.locator("h1").inner_text() == heading[language]
    screenshot(page, f"map-{language}-desktop")
    assert_accessible(page)
    page.get_by_role("link", name="Gors Community Garden").click()
    assert_accessible(page)
    sign_in(page, make_user(Role.PARTICIPANT).username, language=language)
    page.goto(f"/{language}/assets/new/")
    assert (
        page.locator("h1").inner_text() == {"en": "Add an asset", "cy": "Ychwanegu ased"}[language]
    )
    assert_accessible(page)
    page.locator("main button[type=submit]").click()
    assert page.locator(".govuk-error-summary").is_visible()
    screenshot(page, f"asset-form-errors-{language}")
    assert_accessible(page)
