"""Long lists filter as you type (core.widgets.AutocompleteSelect, GOV.UK's accessible
autocomplete): linking one of about 150 assets to a workshop, a workshop's venue, an asset's
category and the import page's category for rows without one. Picking an option sends its
value; the texts read out are in Welsh on Welsh pages; without JavaScript the plain select
still works; axe-clean, under the Content-Security-Policy."""

import pytest

from assets.models import Asset, AssetCategory
from assets.tests.factories import AssetFactory
from core.models import Role
from tests.browser import DESKTOP, PHONE, assert_accessible, assert_fits_width, choose, sign_in
from tests.browser import screenshot as take_screenshot
from tests.test_browser_csp import watch
from workshops.tests.factories import WorkshopFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def many_assets() -> None:
    Asset.objects.bulk_create(AssetFactory.build(name=f"Place {n:03}") for n in range(150))
    AssetFactory(name="Townhill Library")
    AssetFactory(name="Townhill Leisure Centre")


def test_typing_part_of_a_name_filters_and_picking_links_that_asset(new_page, make_user):
    coordinator = make_user(Role.COORDINATOR)
    workshop = WorkshopFactory()
    many_assets()
    page = new_page(PHONE)
    problems = watch(page)
    sign_in(page, coordinator.username)
    page.goto(f"/en/workshops/{workshop.pk}/assets/")

    box = page.get_by_label("Link an asset already on the map")
    choose(box, "Townhill Library", "ownhill l")  # any part of the name, any case
    box.fill("townhill")
    options = page.locator("#id_link-asset__listbox [role=option]")
    assert options.all_inner_texts() == ["Townhill Leisure Centre", "Townhill Library"]
    assert_accessible(page)  # with the list open
    assert_fits_width(page)
    take_screenshot(page, "autocomplete-link-asset-phone")
    options.filter(has_text="Townhill Library").click()
    page.get_by_role("button", name="Link this asset").click()

    assert [a.name for a in workshop.assets_identified.all()] == ["Townhill Library"]
    assert "Townhill Library" in page.locator("ul#assets").inner_text()
    assert problems == []


def test_welsh_texts_venue_and_category_follow_what_is_picked(new_page, make_user):
    coordinator = make_user(Role.COORDINATOR)
    venue = AssetFactory(name="Townhill Community Centre")
    workshop = WorkshopFactory(venue=venue)
    page = new_page(DESKTOP)
    sign_in(page, coordinator.username, language="cy")

    page.goto(f"/cy/workshops/{workshop.pk}/edit/")
    box = page.get_by_label("Lleoliad")
    choose(box, "Townhill Community Centre", "Comm")
    box.fill("zzzz")
    assert page.locator("#id_venue__listbox").inner_text() == "Dim canlyniadau"
    assert_accessible(page)
    take_screenshot(page, "autocomplete-no-results-cy")
    box.fill("")  # an empty box means "not decided yet"
    page.keyboard.press("Tab")
    page.locator("main button[type=submit]").click()
    workshop.refresh_from_db()
    assert workshop.venue is None

    page.goto("/cy/assets/new/")
    category = page.get_by_label("Pa fath o ased yw hwn?")
    choose(category, AssetCategory.objects.get(slug="skills").name_cy, "Sgil")
    assert page.locator("#location-section").is_hidden()  # a person's skill has no place
    choose(category, "Llyfrgell", "Llyfr")
    assert page.locator("#location-section").is_visible()
    assert page.locator("#id_category-select").input_value() == str(
        AssetCategory.objects.get(slug="library").pk
    )


def test_without_javascript_the_select_still_works(browser, live_server, make_user):
    coordinator = make_user(Role.COORDINATOR)
    workshop = WorkshopFactory()
    many_assets()
    context = browser.new_context(
        viewport=PHONE, base_url=live_server.url, java_script_enabled=False
    )
    try:
        page = context.new_page()
        sign_in(page, coordinator.username)
        page.goto(f"/en/workshops/{workshop.pk}/assets/")
        select = page.get_by_label("Link an asset already on the map")
        assert select.evaluate("el => el.tagName") == "SELECT"
        select.select_option(label="Townhill Library")
        page.get_by_role("button", name="Link this asset").click()
        assert [a.name for a in workshop.assets_identified.all()] == ["Townhill Library"]
        assert_fits_width(page)
    finally:
        context.close()


def test_the_import_pages_category_for_rows_without_one_filters_as_you_type(
    new_page, make_user, tmp_path
):
    """An Open Referral file rarely names our categories: the coordinator types part of one
    and picks it, and every row of the check takes it."""
    coordinator = make_user(Role.COORDINATOR)
    upload = tmp_path / "places.csv"
    upload.write_text(
        "name,latitude,longitude\nMayhill Pantry,51.6270,-3.9520\nTownhill Larder,51.6250,-3.9600\n"
    )
    page = new_page(PHONE)
    problems = watch(page)
    sign_in(page, coordinator.username)
    page.goto("/en/assets/imports/new/")
    page.get_by_label("File to import").set_input_files(str(upload))
    box = page.get_by_label("Category for rows that name none or an unknown one")
    choose(box, "Food support", "food")
    assert_accessible(page)
    assert_fits_width(page)
    page.get_by_role("button", name="Check the file").click()
    page.get_by_text("Mayhill Pantry").first.wait_for()
    text = page.locator("main").inner_text()
    assert "Townhill Larder" in text and "Food support" in text
    assert problems == []
