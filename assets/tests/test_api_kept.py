"""The partner API's asset lists, kept in the web process per data version, scope and URL
(core.api.kept): a repeated page costs the key's one query and the same bytes; every way
the assets change shows on the next request; the key is still checked and throttled on
every request; compressed as the middleware compresses every other answer."""

import gzip

import brotli
import pytest
from backports import zstd
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from assets.erasure import own_skills_erase
from assets.forms import CategoryForm
from assets.models import Area, AreaLevel, AssetCategory, AssetStatus
from assets.services.assets import (
    asset_merge,
    asset_reject,
    asset_update,
    asset_verify,
    endorsement_set,
)
from assets.tests.factories import AssetFactory
from core.api.kept import Kept, KeptAnswers, kept_answers
from core.api_keys import api_key_revoke
from core.tests.factories import api_key_make
from participants.models import Cohort
from participants.tests.factories import ParticipantFactory

pytestmark = pytest.mark.django_db
ASSETS = "/api/v1/assets/"
GEOJSON = "/api/v1/assets/geojson/"
DECODE = {"gzip": gzip.decompress, "br": brotli.decompress, "zstd": zstd.decompress}


@pytest.fixture
def key():
    key, secret = api_key_make("public")
    return key, {"HTTP_X_API_KEY": secret}


def names(client, headers, url=ASSETS, **params) -> list[str]:
    response = client.get(url, params, **headers)
    assert response.status_code == 200, response.content
    rows = response.json()["results" if url == ASSETS else "features"]
    return [row["name"] if url == ASSETS else row["properties"]["name"] for row in rows]


@pytest.mark.parametrize("url", [ASSETS, GEOJSON])
def test_a_page_asked_again_costs_the_keys_query_alone_and_is_the_same(client, key, url):
    _key, headers = key
    for name in ["Townhill Library", "Gors Garden"]:
        AssetFactory(name=name)
    first = client.get(url, **headers)

    with CaptureQueriesContext(connection) as queries:
        again = client.get(url, **headers)

    assert len(queries) == 1  # the key's, which reads the data versions too
    assert again.status_code == 200
    assert again.content == first.content
    assert again["Content-Type"] == first["Content-Type"]
    assert (again["ETag"], again["Last-Modified"]) == (first["ETag"], first["Last-Modified"])
    assert again["Vary"] == first["Vary"]
    assert again.headers.get("Allow") == first.headers.get("Allow")


def test_a_kept_page_has_the_bytes_worked_out_afresh(client, key):
    _key, headers = key
    AssetFactory(name="Townhill Library", languages=["cy", "ar"], welcoming_to=["tenants"])
    kept = client.get(ASSETS, **headers)
    kept_answers.clear()

    fresh = client.get(ASSETS, **headers)

    assert fresh.content == kept.content
    assert fresh["ETag"] == kept["ETag"]


def test_every_partner_reads_the_same_page_and_each_scope_has_its_own(client, key):
    _key, headers = key
    _other, other = api_key_make("aggregates")
    AssetFactory(name="Townhill Library")

    ours = client.get(ASSETS, **headers)
    theirs = client.get(ASSETS, HTTP_X_API_KEY=other)

    assert ours.content == theirs.content
    assert len(kept_answers.answers) == 2  # public and aggregates, each kept apart


def test_a_revoked_key_is_refused_at_once_though_its_page_is_kept(client, key):
    api_key, headers = key
    AssetFactory(name="Townhill Library")
    assert client.get(ASSETS, **headers).status_code == 200

    api_key_revoke(key=api_key, by=api_key.created_by)
    refused = client.get(ASSETS, **headers)

    assert refused.status_code == 401
    assert b"Townhill" not in refused.content


def test_a_kept_page_still_counts_towards_the_keys_limit(client, key, settings):
    settings.API_KEY_RATE = "2/minute"
    _key, headers = key
    AssetFactory(name="Townhill Library")

    statuses = [client.get(ASSETS, **headers).status_code for _ in range(3)]

    assert statuses == [200, 200, 429]


def test_a_person_signed_in_reads_the_kept_page_with_their_session(client_as, key):
    _key, headers = key
    library = AssetFactory(name="Townhill Library")
    partner = client_as("partner")
    by_key = client_as(None).get(ASSETS, **headers)

    by_session = partner.get(ASSETS)
    asset_update(asset=library, fields={"name": "Townhill Community Library"}, geometry=None)

    assert by_session.content == by_key.content
    assert names(partner, {}) == ["Townhill Community Library"]


# --- Every change to the assets shows on the next request ------------------------------------


def _edit(asset):
    asset_update(asset=asset, fields={"description": "Open late"}, geometry=asset.geometry)


def _verify(asset):
    asset_verify(asset=asset)


def _reject(asset):
    asset_reject(asset=asset, reason="It closed down.")


def _save(asset):  # as the Django admin or a shell would
    asset.opening_times = "Mon–Fri 9–5"
    asset.save()


def _delete(asset):
    asset.delete()


@pytest.mark.parametrize(
    "change, field, seen",
    [
        (_edit, "description", "Open late"),
        (_verify, "last_verified_on", "today"),
        (_save, "opening_times", "Mon–Fri 9–5"),
        (_reject, None, None),
        (_delete, None, None),
    ],
)
@pytest.mark.parametrize("url", [ASSETS, GEOJSON])
def test_a_change_to_an_asset_is_on_the_next_page(client, key, change, field, seen, url):
    _key, headers = key
    asset = AssetFactory(name="Townhill Library", last_verified_on="2025-01-01")
    assert names(client, headers, url) == ["Townhill Library"]

    change(asset)
    response = client.get(url, **headers).json()
    rows = response["results"] if url == ASSETS else [f["properties"] for f in response["features"]]

    if field is None:
        assert rows == []
    else:
        expected = timezone.localdate().isoformat() if seen == "today" else seen
        assert [row[field] for row in rows] == [expected]


def test_a_skill_whose_owner_withdraws_consent_leaves_the_next_page(client, key):
    _key, headers = key
    sewing = AssetFactory(
        name="Sewing, shared gladly",
        category=AssetCategory.objects.get(slug="skills"),
        geometry=None,
        latitude=None,
        longitude=None,
        publish_consent=True,
    )
    assert names(client, headers) == ["Sewing, shared gladly"]

    asset_update(asset=sewing, fields={"publish_consent": False}, geometry=None)

    assert names(client, headers) == []


def test_a_participants_erasure_is_on_the_next_page(client, key):
    _key, headers = key
    participant = ParticipantFactory()
    AssetFactory(
        name="Their sewing",
        on_behalf_of=participant,
        category=AssetCategory.objects.get(slug="skills"),
        geometry=None,
        latitude=None,
        longitude=None,
        publish_consent=True,
    )
    assert names(client, headers) == ["Their sewing"]

    own_skills_erase(participant, keep_anonymised=False)

    assert names(client, headers) == []


def test_a_merged_duplicate_leaves_the_next_page(client, key):
    _key, headers = key
    keep, duplicate = AssetFactory(name="Keep"), AssetFactory(name="Duplicate")
    assert names(client, headers) == ["Duplicate", "Keep"]

    asset_merge(duplicate=duplicate, keep=keep)

    assert names(client, headers) == ["Keep"]


def test_endorsements_change_the_next_valued_by_both_page(client, key):
    _key, headers = key
    asset = AssetFactory(name="Bridging place")
    endorsement_set(asset=asset, participant=ParticipantFactory(cohort=Cohort.TENANT), valued=True)
    assert names(client, headers, both="1") == []

    sanctuary = ParticipantFactory(cohort=Cohort.ASYLUM_SEEKER)
    endorsement_set(asset=asset, participant=sanctuary, valued=True)

    assert names(client, headers, both="1") == ["Bridging place"]


def test_a_categorys_new_slug_is_on_the_next_page(client, key):
    _key, headers = key
    AssetFactory(name="Hall")
    category = AssetCategory.objects.get(slug="community-centre")
    assert client.get(ASSETS, **headers).json()["results"][0]["category"] == "community-centre"

    form = CategoryForm(
        instance=category,
        data={
            "name_en": category.name_en,
            "name_cy": category.name_cy,
            "domain": category.domain,
            "parent": category.parent_id or "",
            "slug": "community-hall",
            "order": category.order,
        },
    )
    assert form.is_valid(), form.errors
    form.save()

    assert client.get(ASSETS, **headers).json()["results"][0]["category"] == "community-hall"


def test_an_areas_code_changed_in_the_admin_is_on_the_next_page(client, key, admin_client):
    _key, headers = key
    lsoa = Area.objects.create(code="W01000001", name_en="Townhill 1", level=AreaLevel.LSOA)
    AssetFactory(name="Hall", lsoa=lsoa)
    assert client.get(ASSETS, **headers).json()["results"][0]["areas"]["lsoa"] == "W01000001"

    changed = admin_client.post(
        reverse("admin:assets_area_change", args=[lsoa.pk]),
        {"code": "W01000999", "name_en": "Townhill 1", "name_cy": "", "level": AreaLevel.LSOA},
    )

    assert changed.status_code == 302, changed.content
    assert client.get(ASSETS, **headers).json()["results"][0]["areas"]["lsoa"] == "W01000999"


# --- Compressed as every other answer is ---------------------------------------------------


def varies(response) -> set[str]:
    return {name.strip().lower() for name in response["Vary"].split(",")}


@pytest.mark.parametrize("coding", ["gzip", "br", "zstd"])
def test_a_kept_page_is_compressed_as_the_middleware_compresses_the_others(client, key, coding):
    _key, headers = key
    for n in range(20):
        AssetFactory(name=f"Place {n}", status=AssetStatus.PUBLISHED)
    plain = client.get(ASSETS, **headers)
    other = client.get("/api/v1/categories/", HTTP_ACCEPT_ENCODING=coding, **headers)

    first = client.get(ASSETS, HTTP_ACCEPT_ENCODING=coding, **headers)
    kept = client.get(ASSETS, HTTP_ACCEPT_ENCODING=coding, **headers)
    unchanged = client.get(
        ASSETS, HTTP_ACCEPT_ENCODING=coding, HTTP_IF_NONE_MATCH=kept["ETag"], **headers
    )

    for response in (first, kept):
        assert response["Content-Encoding"] == coding
        assert DECODE[coding](response.content) == plain.content
        assert response["Content-Length"] == str(len(response.content))
        assert response["ETag"] == f"W/{plain['ETag']}"
        # The same names (in another order: the view names accept-encoding before the
        # middleware below it add theirs, as the map layer's kept bytes do).
        assert varies(response) == varies(other)
        assert set(response.headers) == set(other.headers) | {"Last-Modified"}
    assert unchanged.status_code == 304


# --- The store ----------------------------------------------------------------------------


def test_the_store_lets_the_least_recently_read_go_first_past_its_limit():
    store = KeptAnswers(limit_bytes=25)
    store.put("a", Kept("application/json", b"a" * 10, None))
    store.put("b", Kept("application/json", b"b" * 10, None))
    assert store.get("a") is not None  # read: now the most recent

    store.put("c", Kept("application/json", b"c" * 10, None))

    assert store.get("b") is None
    assert store.get("a").body == b"a" * 10
    assert store.get("c").body == b"c" * 10
    assert store.size == 20
