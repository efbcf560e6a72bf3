"""Syncing cheaply: every list of the partner API answers with an ETag, 304 Not Modified
when the partner sends it back unchanged, and Last-Modified where rows have an updated
time; a change to the rows changes the tag. Responses vary by key."""

import pytest
from django.urls import reverse

from assets.tests.factories import AssetFactory
from core.tests.factories import api_key_make
from tests.test_api_walk import api_endpoints


@pytest.fixture
def key(db):
    _key, secret = api_key_make("aggregates")
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/api/v1/assets/", "/api/v1/assets/geojson/"])
def test_a_list_sent_back_unchanged_is_not_modified(client, key, url):
    AssetFactory(name="Townhill Library")

    first = client.get(url, **key)
    again = client.get(url, HTTP_IF_NONE_MATCH=first["ETag"], **key)

    assert first.status_code == 200
    assert first["Last-Modified"]
    assert "Authorization" in first["Vary"]
    assert again.status_code == 304
    assert again.content == b""
    assert again["ETag"] == first["ETag"]


@pytest.mark.django_db
def test_a_change_to_the_rows_changes_the_tag(client, key):
    library = AssetFactory(name="Townhill Library")
    first = client.get("/api/v1/assets/", **key)

    library.name = "Townhill Community Library"
    library.save()
    after = client.get("/api/v1/assets/", HTTP_IF_NONE_MATCH=first["ETag"], **key)

    assert after.status_code == 200
    assert after["ETag"] != first["ETag"]
    assert "Townhill Community Library" in after.content.decode()


@pytest.mark.django_db
def test_if_modified_since_alone_never_hides_an_asset_that_left_the_list(client, key):
    AssetFactory(name="Townhill Library")
    leaving = AssetFactory(name="Closing down")
    first = client.get("/api/v1/assets/", **key)

    leaving.delete()
    after = client.get("/api/v1/assets/", HTTP_IF_MODIFIED_SINCE=first["Last-Modified"], **key)

    assert after.status_code == 200
    assert "Closing down" not in after.content.decode()


@pytest.mark.django_db
def test_every_list_has_an_etag(client, key):
    lists = [name for name in api_endpoints() if name.endswith("-list")]
    for name in lists:
        response = client.get(reverse(name), **key)
        assert response.status_code == 200, name
        assert response.has_header("ETag"), name
