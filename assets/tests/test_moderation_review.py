"""A moderator can judge a submission from the review page: every field the person filled in,
where it is among the published assets near it, likely duplicates side by side, and the
"could this be someone's home?" question asked before anything placed at a point or given an
address is published."""

import html
import json
import re

import pytest
from django.urls import reverse

from assets.models import AssetCategory, AssetStatus
from assets.tests.factories import TOWNHILL, AssetFactory
from core.tests.factories import SiteFactory

pytestmark = pytest.mark.django_db


def review(client, asset) -> str:
    return html.unescape(
        client.get(reverse("assets:moderation-review", args=[asset.pk])).content.decode()
    )


def submitted(**fields):
    return AssetFactory(status=AssetStatus.SUBMITTED, **fields)


def map_config(page: str) -> dict:
    found = re.search(r'id="review-map-config" type="application/json">(.*?)</script>', page)
    assert found, "no map data on the page"
    return json.loads(found.group(1))


def test_the_review_shows_every_field_the_person_filled_in(coordinator_client):
    asset = submitted(
        name="Sanctuary Sunday lunch",
        name_cy="Cinio Sul Noddfa",
        category=AssetCategory.objects.get(slug="food-support"),
        description="A hot meal after the service.\nEveryone welcome.",
        description_cy="Pryd poeth ar ôl y gwasanaeth.",
        address="St Mark's, Townhill Road",
        postcode="SA1 6PG",
        contact="Ask for Mair on 01792 000000",
        website="https://example.org/lunch",
        opening_times="Sundays 12:30–14:00",
        cost="free",
        languages=["ar", "cy"],
        accessibility="Step-free from the car park",
        welcoming_to=["sanctuary", "families"],
    )
    page = review(coordinator_client, asset)
    fields = page[page.index('id="submitted-fields"') : page.index(">From</dt>")]
    for shown in (
        "Cinio Sul Noddfa",
        "Food support",
        "A hot meal after the service.\nEveryone welcome.",
        "Pryd poeth ar ôl y gwasanaeth.",
        "St Mark's, Townhill Road",
        "SA1 6PG",
        "Ask for Mair on 01792 000000",
        "https://example.org/lunch",
        "Sundays 12:30–14:00",
        "Free",
        "Arabic, Welsh",
        "Step-free from the car park",
        "People seeking sanctuary, Families and children",
        f"{TOWNHILL[0]:.5f}, {TOWNHILL[1]:.5f}",
    ):
        assert shown in fields, shown
    assert "Not given" not in fields


def test_fields_left_empty_say_so(coordinator_client):
    page = review(coordinator_client, submitted(name="Bare", description=""))
    fields = page[page.index('id="submitted-fields"') : page.index(">From</dt>")]
    assert fields.count("Not given") == 12  # all but name, category and place


def test_the_map_shows_the_submission_among_published_assets_near_it(coordinator_client):
    lat, lng = TOWNHILL
    AssetFactory(name="Townhill <b>Library</b>", latitude=lat + 0.0049, longitude=lng)
    AssetFactory(name="Too far north", latitude=lat + 0.0051, longitude=lng)
    AssetFactory(name="Too far west", latitude=lat, longitude=lng - 0.0051)
    AssetFactory(name="Not yet published", status=AssetStatus.SUBMITTED)
    asset = submitted(name="New café")
    page = review(coordinator_client, asset)
    config = map_config(page)
    assert config["submission"] == {"name": "New café", "lat": TOWNHILL[0], "lng": TOWNHILL[1]}
    assert [other["name"] for other in config["nearby"]] == ["Townhill <b>Library</b>"]
    # the name travels as data and is listed as text, never as markup
    raw = coordinator_client.get(reverse("assets:moderation-review", args=[asset.pk]))
    assert "<b>Library</b>" not in raw.content.decode()
    assert "1 published asset nearby" in page and 'id="review-map"' in page


def test_something_with_no_place_has_no_map(coordinator_client):
    asset = submitted(name="Somewhere", geometry=None, latitude=None, longitude=None)
    page = review(coordinator_client, asset)
    assert 'id="review-map"' not in page and "review-map-config" not in page
    assert "Not on the map yet: edit it to add a pin." in page


def test_a_point_cannot_be_published_without_saying_it_is_not_a_home(coordinator_client):
    asset = submitted(name="Flat 3")
    url = reverse("assets:asset-publish", args=[asset.pk])
    page = html.unescape(coordinator_client.post(url, {}).content.decode())
    message = "Say whether this could be someone's home before publishing it"
    assert "<title>Error:" in page and message in page and 'href="#id_home_check' in page
    asset.refresh_from_db()
    assert asset.status == AssetStatus.SUBMITTED


def test_could_be_a_home_is_refused_with_what_to_do_instead(coordinator_client):
    asset = submitted(name="Flat 3")
    url = reverse("assets:asset-publish", args=[asset.pk])
    page = html.unescape(
        coordinator_client.post(url, {"home_check": "could_be_home"}).content.decode()
    )
    assert "Do not publish something that could be someone's home" in page
    asset.refresh_from_db()
    assert asset.status == AssetStatus.SUBMITTED


def test_an_answer_that_is_not_a_choice_is_refused(coordinator_client):
    asset = submitted()
    url = reverse("assets:asset-publish", args=[asset.pk])
    response = coordinator_client.post(url, {"home_check": "maybe"})
    assert response.status_code == 200 and "<title>Error:" in response.content.decode()
    asset.refresh_from_db()
    assert asset.status == AssetStatus.SUBMITTED


def test_not_a_home_publishes_it(coordinator_client):
    asset = submitted(name="Townhill Community Centre")
    url = reverse("assets:asset-publish", args=[asset.pk])
    response = coordinator_client.post(url, {"home_check": "not_a_home"}, follow=True)
    assert "Published “Townhill Community Centre”" in html.unescape(response.content.decode())
    asset.refresh_from_db()
    assert asset.status == AssetStatus.PUBLISHED


def test_the_question_is_asked_for_an_address_without_a_pin_too(coordinator_client):
    asset = submitted(geometry=None, latitude=None, longitude=None, address="12 Heol y Bryn")
    assert asset.home_check_needed
    assert "Could this be someone's home?" in review(coordinator_client, asset)


def test_an_area_with_no_address_is_published_without_the_question(coordinator_client):
    lat, lng = TOWNHILL
    square = [[lng, lat], [lng + 0.001, lat], [lng + 0.001, lat + 0.001], [lng, lat]]
    asset = submitted(name="Brynmill Park", geometry={"type": "Polygon", "coordinates": [square]})
    assert not asset.home_check_needed
    page = review(coordinator_client, asset)
    assert "Could this be someone's home?" not in page
    assert "cannot be someone's home" in page
    coordinator_client.post(reverse("assets:asset-publish", args=[asset.pk]), {})
    asset.refresh_from_db()
    assert asset.status == AssetStatus.PUBLISHED


def test_likely_duplicates_are_shown_field_by_field_with_differences_marked(coordinator_client):
    AssetFactory(name="Townhill Library", opening_times="Mon–Fri 9–5", postcode="SA1 6PQ")
    asset = submitted(name="Townhill library", opening_times="Mon–Sat 9–5", postcode="SA1 6PQ")
    page = review(coordinator_client, asset)
    table = page[page.index('id="duplicates"') : page.index('id="publish"')]
    assert "This submission beside “Townhill Library” (Published)" in table
    row = r'<tr class="govuk-table__row( app-compare__differs)?">(.*?)</tr>'
    rows = re.findall(row, table, re.S)
    by_label = {re.search(r"<th[^>]*>([^<]+)", row).group(1).strip(): bool(d) for d, row in rows}
    assert by_label["Name"] and by_label["When it is open"]
    assert not by_label["Postcode"] and not by_label["Category"]
    assert "Description" not in by_label  # empty on both: left out
    assert "Mon–Sat 9–5" in table and "Mon–Fri 9–5" in table
    assert "Merge into this one" in table


def test_nearby_and_duplicates_come_from_the_moderators_reach_only(coordinator_client):
    elsewhere = SiteFactory(slug="elsewhere")
    AssetFactory(name="Their draft", status=AssetStatus.SUBMITTED, site=elsewhere)
    asset = submitted(name="Their draft")
    page = review(coordinator_client, asset)
    assert 'id="duplicates"' not in page


def test_the_review_page_takes_a_fixed_number_of_queries(
    coordinator_client, django_assert_max_num_queries
):
    asset = submitted(name="New café")
    for number in range(3):
        AssetFactory(name=f"Neighbour {number}")
    with django_assert_max_num_queries(20) as few:
        review(coordinator_client, asset)
    for number in range(15):
        AssetFactory(name=f"Another neighbour {number}")
    with django_assert_max_num_queries(len(few.captured_queries)):
        review(coordinator_client, asset)
