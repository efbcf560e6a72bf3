"""The assets endpoints of the partner API: only shareable assets, in pages, ordered, in a
constant number of queries, without a model instance per row."""

import pytest

from assets.models import Asset, AssetCategory, AssetStatus
from assets.tests.factories import AssetFactory
from core.tests.factories import api_key_make
from participants.models import Cohort
from participants.tests.factories import ParticipantFactory

ASSETS = "/api/v1/assets/"


@pytest.fixture
def api(client, db):
    """api(url) → the response to a GET with a `public` key (api.aggregates for the other)."""
    _key, public = api_key_make("public")
    _key, aggregates = api_key_make("aggregates")

    def get(url, scope="public", **params):
        secret = public if scope == "public" else aggregates
        return client.get(url, params, HTTP_AUTHORIZATION=f"Bearer {secret}")

    return get


def skill(name: str, *, consent: bool) -> Asset:
    return AssetFactory(
        name=name,
        category=AssetCategory.objects.get(slug="skills"),
        geometry=None,
        latitude=None,
        longitude=None,
        publish_consent=consent,
    )


@pytest.mark.django_db
def test_the_list_has_published_assets_and_consented_skills_only(api):
    AssetFactory(name="Townhill Library")
    AssetFactory(name="Waiting garden", status=AssetStatus.SUBMITTED)
    AssetFactory(name="Turned down", status=AssetStatus.REJECTED)
    skill("Sewing, shared gladly", consent=True)
    skill("Arabic tutoring, kept inside", consent=False)

    names = [row["name"] for row in api(ASSETS).json()["results"]]

    assert names == ["Sewing, shared gladly", "Townhill Library"]


@pytest.mark.django_db
def test_an_asset_that_is_not_shareable_is_not_found(api):
    hidden = skill("Arabic tutoring, kept inside", consent=False)
    waiting = AssetFactory(status=AssetStatus.SUBMITTED)

    assert api(f"{ASSETS}{hidden.pk}/").status_code == 404
    assert api(f"{ASSETS}{waiting.pk}/").status_code == 404
    assert api(f"{ASSETS}{hidden.pk}/valued-by/", "aggregates").status_code == 404


@pytest.mark.django_db
def test_an_asset_has_its_public_fields_and_nobody_behind_it(api, make_user):
    person = ParticipantFactory(display_name="Amira")
    asset = AssetFactory(
        name="Townhill Library",
        postcode="SA1 6PQ",
        languages=["cy", "ar"],
        recorded_by=make_user("facilitator"),
        on_behalf_of=person,
    )

    row = api(f"{ASSETS}{asset.pk}/").json()

    assert row["name"] == "Townhill Library"
    assert row["category"] == "community-centre"
    assert row["postcode"] == "SA1 6PQ"
    assert row["languages"] == ["cy", "ar"]
    assert row["areas"] == {"lsoa": None, "msoa": None, "local_authority": None}
    assert "recorded_by" not in row and "on_behalf_of" not in row
    assert person.code not in str(row) and "Amira" not in str(row)


@pytest.mark.django_db
def test_an_asset_in_a_list_is_as_its_own_page_gives_it(api):
    asset = AssetFactory(
        name="Townhill Library",
        name_cy="Llyfrgell Townhill",
        languages=["cy", "ar"],
        welcoming_to=["tenants"],
        last_verified_on="2026-11-02",
    )

    [listed] = api(ASSETS).json()["results"]
    [feature] = api(f"{ASSETS}geojson/").json()["features"]
    alone = api(f"{ASSETS}{asset.pk}/").json()

    assert listed == alone
    assert (listed["languages"], listed["last_verified_on"]) == (["cy", "ar"], "2026-11-02")
    assert feature["properties"] == {
        key: value for key, value in alone.items() if key not in ("latitude", "longitude")
    }
    assert feature["geometry"]["coordinates"] == [alone["longitude"], alone["latitude"]]


def every_page(api, link, **params) -> tuple[list[dict], list[dict]]:
    """(rows, bodies) of every page from `link`, following `next`."""
    rows, bodies = [], []
    while link:
        body = api(link, **params).json()
        rows += body["results"]
        bodies.append(body)
        link, params = body["next"], {}
    return rows, bodies


@pytest.mark.django_db
def test_pages_hold_page_size_rows_and_say_where_the_next_is(api):
    for name in ["C", "A", "B"]:
        AssetFactory(name=name)

    first = api(ASSETS, page_size=2).json()
    second = api(first["next"]).json()

    assert first["count"] == 3
    assert second["count"] is None  # a page after the first never counts the table
    assert [row["name"] for row in first["results"]] == ["A", "B"]
    assert first["next"].startswith("http://testserver/api/v1/assets/?cursor=")
    assert "page_size=2" in first["next"] and first["previous"] is None
    assert [row["name"] for row in second["results"]] == ["C"]
    assert second["next"] is None
    back = api(second["previous"]).json()
    assert [row["name"] for row in back["results"]] == ["A", "B"]
    assert back["previous"] is None and back["next"] == first["next"]
    assert len(api(ASSETS).json()["results"]) == 3  # 50 a page unless asked


@pytest.mark.django_db
def test_rows_that_tie_on_the_order_are_each_on_exactly_one_page(api):
    """Keyset pages stand on the last row's (field, id): seven assets of the same name, or
    changed at the same moment, split across pages of two without a repeat or a gap, in
    either direction, a row added before the cursor's place changing nothing after it."""
    for n in range(7):
        AssetFactory(name="Same name" if n < 5 else f"Name {n}")
    Asset.objects.update(updated_at="2026-01-01T10:00:00Z")
    ids = set(Asset.objects.values_list("id", flat=True))

    for ordering in ["name", "-name", "-updated_at", "updated_at", "-id"]:
        rows, bodies = every_page(api, ASSETS, page_size=2, ordering=ordering)
        assert [len(body["results"]) for body in bodies] == [2, 2, 2, 1], ordering
        assert sorted(row["id"] for row in rows) == sorted(ids), ordering
        backwards, link = [], bodies[-1]["previous"]
        while link:
            body = api(link).json()
            backwards = body["results"] + backwards
            link = body["previous"]
        assert backwards == rows[:-1], ordering

    rows, bodies = every_page(api, ASSETS, page_size=2)
    AssetFactory(name="Aardvark club")
    assert api(bodies[1]["next"]).json()["results"] == rows[4:6]


@pytest.mark.django_db
@pytest.mark.parametrize(
    "cursor",
    ["abc", "", "eyJvIjpbIm5hbWUiLCJpZCJdLCJiIjpmYWxzZSwidiI6WyJCIiwxMV19:1xXxMH:forged"],
)
def test_a_cursor_not_made_here_is_refused_naming_it(api, cursor):
    AssetFactory()

    response = api(ASSETS, cursor=cursor)

    assert response.status_code == 400
    assert "cursor" in response.json()


@pytest.mark.django_db
def test_a_cursor_is_only_good_for_the_order_it_was_made_in(api):
    for name in ["A", "B", "C"]:
        AssetFactory(name=name)
    link = api(ASSETS, page_size=1).json()["next"]

    assert api(f"{link}&ordering=-updated_at").status_code == 400
    assert [row["name"] for row in api(link).json()["results"]] == ["B"]


@pytest.mark.django_db
def test_assets_are_ordered_by_the_field_asked_for(api):
    for name in ["B", "A", "C"]:
        AssetFactory(name=name)

    by_name_desc = api(ASSETS, ordering="-name").json()["results"]
    by_id = api(ASSETS, ordering="id").json()["results"]
    unknown = api(ASSETS, ordering="contact").json()["results"]

    assert [row["name"] for row in by_name_desc] == ["C", "B", "A"]
    assert [row["name"] for row in by_id] == ["B", "A", "C"]
    assert [row["name"] for row in unknown] == ["A", "B", "C"]  # ignored: the default


@pytest.mark.django_db
@pytest.mark.parametrize("url", [ASSETS, "/api/v1/categories/"])
def test_a_list_takes_as_many_queries_for_thirty_rows_as_for_one(api, url):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    AssetFactory()
    api(url)  # the key's last-used time is written on its first use
    AssetFactory()  # and the assets' pages, kept until the assets change, are worked out again
    with CaptureQueriesContext(connection) as two:
        assert api(url).status_code == 200
    for _ in range(28):
        AssetFactory()
    with CaptureQueriesContext(connection) as thirty:
        assert len(api(url).json()["results"]) >= (30 if url == ASSETS else 1)

    assert len(thirty) == len(two) <= 3


@pytest.mark.django_db
def test_lists_build_no_model_instance_per_row(api, monkeypatch):
    AssetFactory()

    def refuse(*args, **kwargs):
        raise AssertionError("a list endpoint built a model instance")

    monkeypatch.setattr(Asset, "from_db", classmethod(refuse))
    monkeypatch.setattr(AssetCategory, "from_db", classmethod(refuse))

    assert api(ASSETS).status_code == 200
    assert api("/api/v1/categories/").status_code == 200


@pytest.mark.django_db
def test_who_values_an_asset_is_disclosure_controlled(api):
    asset = AssetFactory()
    for _ in range(3):
        asset.endorsements.create(participant=ParticipantFactory(cohort=Cohort.TENANT))
    for _ in range(6):
        asset.endorsements.create(participant=ParticipantFactory(cohort=Cohort.REFUGEE))

    counts = api(f"{ASSETS}{asset.pk}/valued-by/", "aggregates").json()

    # 3 tenants is "<5"; 6 + 3 = 9 would give it away, so the sanctuary cell and the total
    # are withheld (participants.disclosure.row_shown).
    assert counts == {
        "id": asset.pk,
        "tenants": "<5",
        "sanctuary": "withheld",
        "other": 0,
        "total": "withheld",
    }


@pytest.mark.django_db
def test_categories_come_with_their_parents_slug(api):
    rows = api("/api/v1/categories/", page_size=500).json()["results"]
    skills = next(row for row in rows if row["slug"] == "skills")

    assert skills["domain"] == "individual"
    assert skills["name_cy"] == "Sgiliau"
    assert set(skills) == {"id", "slug", "name_en", "name_cy", "domain", "parent", "order"}


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url",
    [
        f"{ASSETS}abc/",
        f"{ASSETS}99999999999999999999999/",
        f"{ASSETS}-1/valued-by/",
        f"{ASSETS}?cursor=abc",
        "/api/v1/categories/?page=abc",
        f"{ASSETS}?page_size=-5&ordering=%00",
        "/api/v1/categories/1.5/",
    ],
)
def test_a_malformed_address_gets_a_client_error_not_a_server_error(api, url):
    assert 400 <= api(url, "aggregates").status_code < 500


@pytest.mark.django_db
def test_the_list_filters_as_the_map_does(api):
    AssetFactory(name="Library", category=AssetCategory.objects.get(slug="library"))
    AssetFactory(name="Hall")
    skill("Arabic tutoring, kept inside", consent=False)

    found = api(ASSETS, category="places-to-meet", q="lib").json()
    skills = api(ASSETS, domain="individual").json()
    wrong = api(ASSETS, area="W0")
    since_tomorrow = api(ASSETS, updated_since="2999-01-01T00:00:00Z").json()

    assert [row["name"] for row in found["results"]] == ["Library"]
    assert skills["count"] == 0  # filtering never reaches what is not shareable
    assert since_tomorrow["count"] == 0
    assert api(ASSETS, updated_since="2000-01-01T00:00:00Z").json()["count"] == 2
    assert wrong.status_code == 400
    assert wrong.json()["area"] == ["No area has the code “W0”."]


@pytest.mark.django_db
def test_a_filter_holds_on_every_page_and_paging_alone_filters_nothing(api):
    for name in ["Hall A", "Hall B", "Hall C"]:
        AssetFactory(name=name)
    AssetFactory(name="Library", category=AssetCategory.objects.get(slug="library"))

    halls, _bodies = every_page(api, ASSETS, q="hall", page_size=1)
    everything, _bodies = every_page(api, ASSETS, page_size=1, ordering="name")

    assert [row["name"] for row in halls] == ["Hall A", "Hall B", "Hall C"]
    assert [row["name"] for row in everything] == ["Hall A", "Hall B", "Hall C", "Library"]
