"""Open Referral UK under /api/openreferral/: the profile's page envelope and filters, every
item valid against the UK profile's schemas, the same service as the export, public only
while the map is, malformed parameters a 400 naming them, constant queries."""

import pytest
from django.urls import reverse
from django.utils import timezone

from assets.models import AssetCategory, AssetStatus, Cost
from assets.services import exports
from assets.tests.factories import AssetFactory
from assets.tests.test_exports import _schema_folder, _validator
from core.tests.factories import api_key_make

pytestmark = pytest.mark.django_db

ENVELOPE = {
    "total_items",
    "total_pages",
    "page_number",
    "size",
    "first_page",
    "last_page",
    "empty",
    "contents",
}
# The schema each endpoint's items validate against (compiled where the profile has one).
ITEM_SCHEMAS = {
    "services": "compiled/service_list.json",
    "service-at-locations": "compiled/service_at_location_list.json",
    "organizations": "compiled/organization_list.json",
    "taxonomies": "taxonomy.json",
    "taxonomy-terms": "taxonomy_term.json",
}
NEVER = ["Sewing at home", "Drop-in not yet checked"]


def url(name: str, **kwargs) -> str:
    return reverse(f"api:openreferral-{name}", kwargs=kwargs or None)


def skill(name: str, *, consent: bool):
    return AssetFactory(
        name=name,
        category=AssetCategory.objects.get(slug="skills"),
        geometry=None,
        latitude=None,
        longitude=None,
        publish_consent=consent,
    )


@pytest.fixture
def directory():
    return {
        "hall": AssetFactory(
            name="Townhill Community Centre",
            description="A hall for hire, a café and a warm space.",
            address="Powys Avenue, Townhill",
            postcode="SA1 6PH",
            contact="+44 1792 000000",
            website="https://example.org/hall",
            opening_times="Monday to Friday, 9am to 5pm",
            cost=Cost.FREE,
            languages=["en", "cy", "ar"],
            welcoming_to=["sanctuary", "families"],
            accessibility="Step-free entrance and a hearing loop",
        ),
        "library": AssetFactory(
            name="Library of Townhill", category=AssetCategory.objects.get(slug="library")
        ),
        "skill": skill("Bike repair lessons", consent=True),
        "private_skill": skill("Sewing at home", consent=False),
        "unpublished": AssetFactory(name="Drop-in not yet checked", status=AssetStatus.SUBMITTED),
    }


def errors_of(name: str, body: dict) -> list[str]:
    validator = _validator(_schema_folder() / ITEM_SCHEMAS[name])
    return [
        f"{name}[{index}] {'/'.join(map(str, error.absolute_path))}: {error.message}"
        for index, item in enumerate(body["contents"])
        for error in validator.iter_errors(item)
    ]


@pytest.mark.parametrize("name", list(ITEM_SCHEMAS))
def test_each_list_is_a_page_of_items_valid_against_the_uk_profile(client, directory, name):
    response = client.get(url(name))

    assert response.status_code == 200
    body = response.json()
    assert set(body) == ENVELOPE
    assert body["contents"], f"{name} is empty"
    assert body["page_number"] == 1 and body["first_page"] and body["last_page"]
    assert body["size"] == len(body["contents"]) == body["total_items"]
    assert not errors_of(name, body)
    assert not [never for never in NEVER if never in response.content.decode()]


def test_a_service_in_full_validates_and_is_the_exported_service(client, directory):
    service_id = exports.openreferral_service_id(directory["hall"].pk)

    response = client.get(url("service", id=service_id))

    assert response.status_code == 200
    body = response.json()
    validator = _validator(_schema_folder() / "compiled" / "service.json")
    assert not [error.message for error in validator.iter_errors(body)]
    exported = next(
        service
        for service in exports.export_openreferral(assets=exports.exportable_assets())["services"]
        if service["id"] == service_id
    )
    assert {key: body[key] for key in exported} == exported
    assert body["organization"]["id"] == exports.ORGANISATION_ID
    [at_location] = body["service_at_locations"]
    assert at_location["location"]["addresses"][0]["postal_code"] == "SA1 6PH"


def test_the_services_list_gives_the_same_services_as_the_export(client, directory):
    body = client.get(url("services")).json()

    exported = exports.export_openreferral(assets=exports.exportable_assets())["services"]
    assert body["contents"] == exported
    assert [service["name"] for service in body["contents"]] == [
        "Bike repair lessons",
        "Library of Townhill",
        "Townhill Community Centre",
    ]


@pytest.mark.parametrize(
    "asset", ["private_skill", "unpublished"], ids=["skill without consent", "unpublished"]
)
def test_a_service_not_shareable_is_not_found(client, directory, asset):
    response = client.get(url("service", id=exports.openreferral_service_id(directory[asset].pk)))

    assert response.status_code == 404


@pytest.mark.parametrize("service_id", ["not-a-uuid", "00000000-0000-0000-0000-000000000000"])
def test_an_unknown_service_is_not_found(client, directory, service_id):
    assert client.get(url("service", id=service_id)).status_code == 404


def test_paging_at_its_edges(client, directory):
    first = client.get(url("services"), {"per_page": 2}).json()
    last = client.get(url("services"), {"per_page": 2, "page": 2}).json()
    beyond = client.get(url("services"), {"per_page": 2, "page": 3}).json()

    assert (first["total_items"], first["total_pages"], first["size"]) == (3, 2, 2)
    assert first["first_page"] and not first["last_page"] and not first["empty"]
    assert (last["page_number"], last["size"], last["first_page"], last["last_page"]) == (
        2,
        1,
        False,
        True,
    )
    assert [s["name"] for s in first["contents"] + last["contents"]] == [
        "Bike repair lessons",
        "Library of Townhill",
        "Townhill Community Centre",
    ]
    assert beyond["empty"] and beyond["contents"] == [] and beyond["size"] == 0
    assert (beyond["page_number"], beyond["total_pages"], beyond["last_page"]) == (3, 2, True)


def test_an_empty_directory_is_one_empty_first_page(client):
    body = client.get(url("services")).json()

    assert body == {
        "total_items": 0,
        "total_pages": 0,
        "page_number": 1,
        "size": 0,
        "first_page": True,
        "last_page": True,
        "empty": True,
        "contents": [],
    }


@pytest.mark.parametrize(
    ("parameter", "value"),
    [
        ("page", "0"),
        ("page", "-1"),
        ("page", "two"),
        ("page", "1.5"),
        ("page", "2147483648"),
        ("page", "14421004635677632922632143320907776"),
        ("per_page", "0"),
        ("per_page", "501"),
        ("per_page", "x"),
        ("modified_after", "yesterday"),
        ("modified_after", "2025-13-45T99:00:00"),
    ],
)
def test_a_malformed_parameter_is_a_400_naming_it(client, directory, parameter, value):
    response = client.get(url("services"), {parameter: value})

    assert response.status_code == 400
    assert parameter in response.json()


def test_the_largest_page_is_allowed(client, directory):
    assert client.get(url("services"), {"per_page": 500}).status_code == 200
    last = client.get(url("services"), {"page": 2147483647}).json()
    assert (last["page_number"], last["contents"]) == (2147483647, [])


def test_search_finds_words_in_name_or_description(client, directory):
    body = client.get(url("services"), {"search": "warm hall"}).json()

    assert [service["name"] for service in body["contents"]] == ["Townhill Community Centre"]


def test_a_category_term_finds_its_services_and_a_welcoming_term_its_own(client, directory):
    library = exports._id("category:library")
    sanctuary = exports._id("welcoming-to:sanctuary")

    by_category = client.get(url("services"), {"taxonomy_term_id": library}).json()
    by_audience = client.get(url("services"), {"taxonomy_term_id": sanctuary}).json()
    unknown = client.get(url("services"), {"taxonomy_term_id": "nothing"}).json()

    assert [s["name"] for s in by_category["contents"]] == ["Library of Townhill"]
    assert [s["name"] for s in by_audience["contents"]] == ["Townhill Community Centre"]
    assert unknown["total_items"] == 0


def test_a_parent_category_term_finds_the_services_under_it(client, directory):
    library = AssetCategory.objects.get(slug="library")
    parent = library.parent
    if parent is None:
        pytest.skip("the library category has no parent in the seeded categories")
    term = exports._id(f"category:{parent.slug}")

    body = client.get(url("services"), {"taxonomy_term_id": term}).json()

    assert "Library of Townhill" in [s["name"] for s in body["contents"]]


def test_the_taxonomy_and_organization_filters(client, directory):
    audience = client.get(url("services"), {"taxonomy_id": exports.AUDIENCE_TAXONOMY["id"]})
    categories = client.get(url("services"), {"taxonomy_id": exports.CATEGORY_TAXONOMY["id"]})
    other = client.get(url("services"), {"organization_id": "someone-else"})

    assert audience.json()["total_items"] == 1
    assert categories.json()["total_items"] == 3
    assert other.json()["total_items"] == 0


def test_modified_after_leaves_services_changed_before(client, directory):
    later = timezone.now() + timezone.timedelta(days=1)

    body = client.get(url("services"), {"modified_after": later.isoformat()}).json()

    assert body["total_items"] == 0


def test_service_at_locations_are_placed_services_by_postcode(client, directory):
    everything = client.get(url("service-at-locations")).json()
    by_postcode = client.get(url("service-at-locations"), {"postcode": "sa1  6ph"}).json()

    assert everything["total_items"] == 2  # the skill has no place
    [only] = by_postcode["contents"]
    assert only["service_id"] == exports.openreferral_service_id(directory["hall"].pk)
    assert only["location"]["name"] == "Townhill Community Centre"


def test_taxonomy_terms_list_every_term_of_both_taxonomies(client, directory):
    body = client.get(url("taxonomy-terms"), {"per_page": 500}).json()

    taxonomies = {term["taxonomy_id"] for term in body["contents"]}
    assert taxonomies == {exports.CATEGORY_TAXONOMY["id"], exports.AUDIENCE_TAXONOMY["id"]}
    assert body["total_items"] == AssetCategory.objects.count() + len(exports.WelcomingTo.values)


@pytest.mark.parametrize("name", ["services", "service-at-locations"])
def test_a_list_reads_in_a_constant_number_of_queries(
    client, directory, name, django_assert_max_num_queries
):
    for n in range(20):
        AssetFactory(name=f"Asset {n}", welcoming_to=["families"])

    with django_assert_max_num_queries(3):
        response = client.get(url(name), {"per_page": 500, "taxonomy_term_id": "x"})
    with django_assert_max_num_queries(3):
        response = client.get(url(name), {"per_page": 500})

    assert response.status_code == 200
    assert response.json()["total_items"] >= 20


def test_a_service_reads_in_a_constant_number_of_queries(
    client, directory, django_assert_max_num_queries
):
    service = url("service", id=exports.openreferral_service_id(directory["hall"].pk))
    with django_assert_max_num_queries(3):
        response = client.get(service)

    assert response.status_code == 200


@pytest.mark.parametrize("name", list(ITEM_SCHEMAS))
def test_a_private_map_needs_a_key(client, directory, settings, name):
    settings.MAP_PUBLIC = False
    _key, secret = api_key_make("public")

    anonymous = client.get(url(name))
    with_key = client.get(url(name), HTTP_AUTHORIZATION=f"Bearer {secret}")

    assert anonymous.status_code in (401, 403)
    assert with_key.status_code == 200


def test_responses_name_the_licence(client, directory):
    response = client.get(url("services"))

    assert "creativecommons.org/licenses/by-sa/4.0" in response["Link"]
