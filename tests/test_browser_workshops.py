"""A coordinator on a tablet logs a workshop that was held, end to end: plans it, takes the
register, links an asset already on the map and adds a new one, records a barrier both groups
share (placed on the map) and an action that tackles it using an asset. Every page is
axe-clean in English and Welsh and fits the tablet's width."""

import pytest

from assets.models import AssetCategory
from assets.tests.factories import AssetFactory
from core.models import Role
from participants.models import InformationSheet
from participants.services import participant_register
from tests.browser import TABLET, assert_accessible, assert_fits_width, screenshot, sign_in
from workshops.models import Workshop

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def check(page, name: str) -> None:
    assert_accessible(page)
    assert_fits_width(page)
    screenshot(page, name)


def register(coordinator, display_name: str, cohort: str):
    return participant_register(
        by=coordinator,
        profile={"cohort": cohort, "display_name": display_name},
        personal={},
        sheet=InformationSheet.objects.get(version="1.0"),
        scopes=["take_part"],
        method="written",
    )


def test_a_coordinator_logs_a_held_workshop_on_a_tablet(new_page, make_user):
    coordinator = make_user(Role.COORDINATOR, first_name="Carys")
    people = [
        register(coordinator, "Gwen", "tenant"),
        register(coordinator, "Amal", "refugee"),
        register(coordinator, "Dawit", "asylum_seeker"),
    ]
    AssetFactory(name="Townhill Community Centre")
    AssetFactory(name="Townhill Library")
    category = AssetCategory.objects.get(slug="community-centre")

    page = new_page(TABLET)
    sign_in(page, coordinator.username)
    page.goto("/en/workshops/")
    check(page, "workshops-list-tablet")
    page.get_by_role("button", name="Add a workshop").click()
    check(page, "workshop-form-tablet")
    page.get_by_label("Title").fill("Getting about Townhill")
    page.get_by_label("Theme").fill("Transport")
    page.get_by_label("Starts").fill("2026-03-14T10:00")
    page.get_by_label("Ends").fill("2026-03-14T12:30")
    page.get_by_label("Venue").select_option(label="Townhill Community Centre")
    page.get_by_label("Carys").check()
    page.get_by_label("Childcare").check()
    page.get_by_label("Held").check()
    page.get_by_role("button", name="Save").click()
    workshop = Workshop.objects.get()
    assert page.locator("h1").inner_text() == "Getting about Townhill"

    page.get_by_role("link", name="Take the register").click()
    check(page, "workshop-register-tablet")
    for person in people:
        page.get_by_label(f"{person.display_name} ({person.code})").check()
    page.get_by_role("button", name="Save the register").click()
    assert page.locator("#attending").inner_text() == "3"

    tabs = page.locator(".app-subnav")
    tabs.get_by_role("link", name="Assets").click()
    page.get_by_label("Link an asset already on the map").select_option(label="Townhill Library")
    page.get_by_role("button", name="Link this asset").click()
    page.locator("#id_asset-category").select_option(str(category.pk))
    page.locator("#id_asset-name").fill("The Phoenix Centre")
    page.get_by_role("button", name="Add this asset").click()
    assets = page.locator("#assets").inner_text()
    assert "Townhill Library" in assets
    assert "The Phoenix Centre" in assets and "waiting for a check" in assets

    tabs.get_by_role("link", name="Barriers").click()
    page.get_by_label("What gets in the way?").fill("No buses after six")
    page.get_by_label("What kind of barrier is it?").select_option(label="Transport")
    page.get_by_label("Both groups").check()
    page.locator("#point-picker").click()
    assert page.locator("#pin-status").inner_text() == "Pin placed. Drag it to move it."
    page.get_by_role("button", name="Record this barrier").click()
    barriers = page.locator("#barriers table").inner_text()
    assert "No buses after six" in barriers and "Placed on the map" in barriers
    page.get_by_role("button", name="+1 priority – No buses after six").click()
    assert "now has 1 vote." in page.locator(".govuk-notification-banner").inner_text()

    tabs.get_by_role("link", name="Actions").click()
    page.get_by_label("What will be done?").fill("Run the minibus on Thursday evenings")
    page.get_by_role("group", name="Which barriers does it tackle?").get_by_label(
        "No buses after six"
    ).check()
    page.get_by_role("group", name="Which assets will it use?").get_by_label(
        "Townhill Library"
    ).check()
    page.get_by_label("Who will do it?").fill("Tenants' association")
    page.get_by_label("By when?").fill("2026-05-01")
    page.get_by_role("button", name="Record this action").click()
    action = page.locator("#actions .govuk-summary-card").inner_text()
    assert "Run the minibus on Thursday evenings" in action
    assert "No buses after six" in action and "Townhill Library" in action
    check(page, "workshop-actions-tablet")
    tabs.get_by_role("link", name="Summary").click()
    assert page.locator("#action-count").inner_text() == "1"
    check(page, "workshop-detail-tablet")

    for path, welsh in (
        ("/workshops/", "Gweithdai"),
        ("/workshops/new/", "Ychwanegu gweithdy"),
        (f"/workshops/{workshop.pk}/", "Rhwystrau a nodwyd"),
        (f"/workshops/{workshop.pk}/register/", f"Cofrestr: {workshop.title}"),
    ):
        page.goto(f"/cy{path}")
        assert welsh in page.locator("main").inner_text(), path
        check(page, f"workshop-{path.strip('/').replace('/', '-')}-cy")

    # The shared barrier and the action show in the common-ground view and the tracker.
    for language in ("en", "cy"):
        page.goto(f"/{language}/common-ground/")
        text = page.locator("main").inner_text()
        assert "No buses after six" in text and "Run the minibus on Thursday evenings" in text
        heading = {"en": "Common ground", "cy": "Tir cyffredin"}[language]
        assert page.locator("h1").inner_text() == heading
        check(page, f"common-ground-{language}-tablet")
        page.goto(f"/{language}/actions/")
        assert "Run the minibus on Thursday evenings" in page.locator("main").inner_text()
        heading = {"en": "Action tracker", "cy": "Dilyn camau gweithredu"}[language]
        assert page.locator("h1").inner_text() == heading
        check(page, f"action-tracker-{language}-tablet")
