import json
import re

import pytest
from django.urls import reverse

from assets.models import Asset, AssetCategory, AssetEndorsement, AssetStatus
from assets.services.assets import asset_update
from assets.tests.factories import AssetFactory, point
from core.models import Role
from participants.models import Cohort
from participants.tests.factories import ParticipantFactory
from tests.pages import hidden_value

pytestmark = pytest.mark.django_db
LAYER = "/en/map/layer.geojson"


def layer_names(client, **params):
    response = client.get(LAYER, params)
    assert response["Content-Type"] == "application/geo+json"
    return sorted(f["properties"]["name"] for f in json.loads(response.content)["features"])


def skill(**kwargs):
    return AssetFactory(
        category=AssetCategory.objects.get(slug="skills"),
        geometry=None,
        latitude=None,
        longitude=None,
        **kwargs,
    )


def test_layer_is_lean_and_only_published_in_the_box(client):
    AssetFactory(name="In the box")
    AssetFactory(name="Far away", geometry=point(53.2, -4.1), latitude=53.2, longitude=-4.1)
    AssetFactory(name="Waiting", status=AssetStatus.SUBMITTED)
    assert layer_names(client, bbox="-4.0,51.6,-3.9,51.7") == ["In the box"]
    feature = json.loads(client.get(LAYER).content)["features"][0]
    assert set(feature["properties"]) == {"name", "domain"}


@pytest.mark.parametrize("bbox", ["x", "1,2,3", "10,10,-10,-10", "nan,1,2,3", "1,2,3,inf"])
def test_a_bad_bounding_box_is_refused_with_what_is_wrong(client, bbox):
    AssetFactory(name="Anywhere")
    response = client.get(LAYER, {"bbox": bbox})
    assert response.status_code == 400
    assert list(response.json()) == ["bbox"]
    assert "west,south,east,north" in response.json()["bbox"][0]


@pytest.mark.parametrize("bbox", ["", "-200,-95,200,95"])
def test_no_box_or_one_past_the_edge_of_the_world_shows_everywhere(client, bbox):
    AssetFactory(name="Anywhere")
    assert layer_names(client, bbox=bbox) == ["Anywhere"]


def test_layer_filters_by_domain_cost_language_and_text(client):
    AssetFactory(
        name="Free Arabic club",
        cost="free",
        languages=["ar"],
        category=AssetCategory.objects.get(slug="language-cafe"),
    )
    AssetFactory(name="Paid gym", cost="paid")
    assert layer_names(client, domain="community") == ["Free Arabic club"]
    assert layer_names(client, free="1") == ["Free Arabic club"]
    assert layer_names(client, language="ar") == ["Free Arabic club"]
    assert layer_names(client, q="gym") == ["Paid gym"]
    refused = client.get(LAYER, {"language": "<script>"})
    assert refused.status_code == 400
    assert "<script> is not one of the available choices" in refused.json()["language"][0]


def test_valued_by_both_groups_filter(client):
    bridging, one_sided = AssetFactory(name="Bridging"), AssetFactory(name="One-sided")
    for cohort in (Cohort.TENANT, Cohort.ASYLUM_SEEKER):
        AssetEndorsement.objects.create(
            asset=bridging, participant=ParticipantFactory(cohort=cohort)
        )
    AssetEndorsement.objects.create(asset=one_sided, participant=ParticipantFactory())
    assert layer_names(client, both="1") == ["Bridging"]


def test_layer_and_list_use_a_constant_number_of_queries(client, django_assert_max_num_queries):
    for _ in range(30):
        AssetFactory()
    with django_assert_max_num_queries(2):
        client.get(LAYER)
    client.get("/en/map/")  # the base map's fallback outlines are cached from then on
    with django_assert_max_num_queries(6):
        response = client.get("/en/map/")
    assert "30 assets" in response.content.decode()


def test_skills_stay_inside_the_project_unless_their_owner_agreed(client, participant_client):
    private = skill(name="Sewing (private)")
    skill(name="Cooking (shared)", publish_consent=True)
    public_page = client.get("/en/map/").content.decode()
    assert "Cooking (shared)" in public_page and "Sewing (private)" not in public_page
    assert client.get(reverse("assets:asset-detail", args=[private.pk])).status_code == 404
    assert "Sewing (private)" in participant_client.get("/en/map/").content.decode()


def test_the_map_can_be_closed_to_the_public(client, settings, make_user):
    settings.MAP_PUBLIC = False
    asset = AssetFactory()
    for url in ("/en/map/", LAYER, reverse("assets:asset-detail", args=[asset.pk])):
        assert client.get(url)["Location"].startswith("/en/sign-in/")
    client.force_login(make_user(None), backend="core.backends.RoleBackend")
    assert client.get("/en/map/").status_code == 403


def test_participant_adds_an_asset_that_waits_for_checking(participant_client, swansea):
    response = participant_client.post(
        reverse("assets:asset-add"),
        {
            "category": AssetCategory.objects.get(slug="food-support").pk,
            "name": "Mayhill Community Pantry",
            "geometry": json.dumps(point()),
            "cost": "low",
            "languages": ["en", "ar"],
            "welcoming_to": ["sanctuary", "families"],
        },
        follow=True,
    )
    asset = Asset.objects.get(name="Mayhill Community Pantry")
    assert asset.status == AssetStatus.SUBMITTED
    assert asset.recorded_by == participant_client.user
    assert asset.areas.lsoa is not None
    page = response.content.decode()
    assert "will be checked before it appears on the map" in page
    assert "Submitted – waiting for a check" in page


def test_coordinator_adds_on_behalf_of_a_participant(coordinator_client):
    person = ParticipantFactory(code="P-042")
    coordinator_client.post(
        reverse("assets:asset-add"),
        {
            "category": AssetCategory.objects.get(slug="skills").pk,
            "name": "Hairdressing",
            "on_behalf_of": person.pk,
            "publish_consent": "on",
        },
    )
    asset = Asset.objects.get(name="Hairdressing")
    assert asset.on_behalf_of == person and asset.recorded_by == coordinator_client.user
    assert asset.geometry is None and asset.publish_consent


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"category": "", "name": "X"}, "Choose what kind of asset it is"),
        ({"name": ""}, "Enter the name of the place, group or skill"),
        ({"category": "999999", "name": "X"}, "Choose a category from the list"),
        ({"name": "X", "geometry": "{oops"}, "The map pin could not be read"),
        ({"name": "X", "geometry": json.dumps(point(51.45, -2.59))}, "outside Wales"),
        ({"name": "X", "website": "not a url"}, "Enter a web address"),
        ({"name": "X", "postcode": "hello"}, "Enter a real postcode, like SA1 6AA"),
    ],
)
def test_bad_input_is_explained_and_nothing_is_saved(participant_client, data, message):
    data.setdefault("category", AssetCategory.objects.get(slug="library").pk)
    response = participant_client.post(reverse("assets:asset-add"), data)
    page = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in page and message in page
    assert not Asset.objects.exists()


def test_small_endorsement_counts_are_suppressed_outside_coordinators(
    participant_client, coordinator_client
):
    asset = AssetFactory()
    for _ in range(3):
        AssetEndorsement.objects.create(asset=asset, participant=ParticipantFactory())
    url = reverse("assets:asset-detail", args=[asset.pk])
    assert 'id="valued-tenants">&lt;5<' in participant_client.get(url).content.decode()
    assert 'id="valued-tenants">3<' in coordinator_client.get(url).content.decode()


def test_participant_marks_an_asset_as_valued(client_as):
    client = client_as(Role.PARTICIPANT)
    person = ParticipantFactory(user=client.user, cohort=Cohort.REFUGEE)
    asset = AssetFactory()
    client.post(reverse("assets:asset-endorse", args=[asset.pk]))
    assert asset.endorsements.get().participant == person
    page = client.get(reverse("assets:asset-detail", args=[asset.pk])).content.decode()
    assert 'aria-pressed="true"' in page


def test_detail_names_languages_and_who_it_welcomes(client):
    asset = AssetFactory(
        languages=["ar", "cy"], welcoming_to=["sanctuary"], opening_times="Tue 10–12"
    )
    page = client.get(reverse("assets:asset-detail", args=[asset.pk])).content.decode()
    assert "Arabic – العربية" not in page  # the plain name, not the picker label
    assert "Arabic, Welsh" in page
    assert "People seeking sanctuary" in page and "Tue 10–12" in page


def asset_data(**overrides):
    data = {
        "category": AssetCategory.objects.get(slug="food-support").pk,
        "name": "Mayhill Community Pantry",
        "cost": "low",
    }
    data.update(overrides)
    return data


def test_a_double_tap_on_send_adds_one_asset(participant_client):
    url = reverse("assets:asset-add")
    token = hidden_value(participant_client.get(url).content.decode(), "form_token")
    first = participant_client.post(url, asset_data(form_token=token))
    second = participant_client.post(url, asset_data(form_token=token))
    assert first["Location"] == second["Location"] == reverse("assets:asset-mine")
    assert list(Asset.objects.values_list("name", flat=True)) == ["Mayhill Community Pantry"]
    fresh = hidden_value(participant_client.get(url).content.decode(), "form_token")
    participant_client.post(url, asset_data(form_token=fresh, name="Gors Pantry"))
    assert Asset.objects.count() == 2


def test_an_edit_over_someone_elses_change_shows_both_versions_and_saves_nothing(
    coordinator_client,
):
    asset = AssetFactory(name="Gors Park", opening_times="Dawn to dusk", cost="free")
    url = reverse("assets:asset-edit", args=[asset.pk])
    opened = hidden_value(coordinator_client.get(url).content.decode(), "version")
    theirs = {"name": "Gors Park Café", "category": asset.category, "cost": "free"}
    asset_update(asset=asset, fields=theirs, geometry=asset.geometry)  # someone else, meanwhile
    mine = asset_data(
        category=asset.category_id,
        name="Gors Community Park",
        opening_times="Dawn to dusk",
        cost="free",
        version=opened,
    )
    mine["geometry"] = json.dumps(asset.geometry)
    response = coordinator_client.post(url, mine)
    page = response.content.decode()
    assert "Someone else changed this since you opened it." in page
    rows = re.findall(
        r'<th scope="row"[^>]*>([^<]*)</th><td[^>]*>([^<]*)</td><td[^>]*>([^<]*)</td>', page
    )
    assert rows == [("Name", "Gors Park Café", "Gors Community Park")]
    asset.refresh_from_db()
    assert asset.name == "Gors Park Café"
    mine["version"] = hidden_value(page, "version")  # saving again, having seen theirs
    assert coordinator_client.post(url, mine).status_code == 302
    asset.refresh_from_db()
    assert asset.name == "Gors Community Park"


def test_an_edit_keeps_a_status_changed_meanwhile(coordinator_client):
    asset = AssetFactory(name="Gors Park", status=AssetStatus.SUBMITTED)
    url = reverse("assets:asset-edit", args=[asset.pk])
    page = coordinator_client.get(url).content.decode()
    Asset.objects.filter(pk=asset.pk).update(status=AssetStatus.PUBLISHED)  # not an edit
    data = asset_data(category=asset.category_id, name="Gors Park", version="")
    data["geometry"] = hidden_value(page, "geometry").replace("&quot;", '"')
    assert coordinator_client.post(url, data).status_code == 302
    asset.refresh_from_db()
    assert asset.status == AssetStatus.PUBLISHED


def test_marking_valued_twice_keeps_one_mark_and_unmarking_twice_keeps_none(client_as):
    client = client_as(Role.PARTICIPANT)
    ParticipantFactory(user=client.user, cohort=Cohort.TENANT)
    asset = AssetFactory()
    url = reverse("assets:asset-endorse", args=[asset.pk])
    page = client.get(reverse("assets:asset-detail", args=[asset.pk])).content.decode()
    assert '<input type="hidden" name="valued" value="on">' in page
    for _ in range(2):
        client.post(url, {"valued": "on"})
    assert asset.endorsements.count() == 1
    page = client.get(reverse("assets:asset-detail", args=[asset.pk])).content.decode()
    assert '<input type="hidden" name="valued" value="off">' in page
    for _ in range(2):
        client.post(url, {"valued": "off"})
    assert asset.endorsements.count() == 0
