"""CORS for the partner API: a page on an origin the operator lists may read /api/ with GET
(its browser's preflight answered); no other origin, no other method, no other path, and
no origin at all by default."""

import pytest

from core.tests.factories import api_key_make

PARTNER = "https://maps.example.gov.uk"


@pytest.fixture
def key(db):
    _key, secret = api_key_make("public")
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}


@pytest.mark.django_db
def test_no_origin_may_read_the_api_by_default(client, key):
    response = client.get("/api/v1/categories/", HTTP_ORIGIN=PARTNER, **key)

    assert response.status_code == 200
    assert "Access-Control-Allow-Origin" not in response


@pytest.mark.django_db
def test_a_listed_origin_may_read_the_api_with_get_only(client, key, settings):
    settings.CORS_ALLOWED_ORIGINS = [PARTNER]

    response = client.get("/api/v1/categories/", HTTP_ORIGIN=PARTNER, **key)
    preflight = client.options(
        "/api/v1/assets/",
        HTTP_ORIGIN=PARTNER,
        HTTP_ACCESS_CONTROL_REQUEST_METHOD="GET",
        HTTP_ACCESS_CONTROL_REQUEST_HEADERS="authorization",
    )
    other = client.get("/api/v1/categories/", HTTP_ORIGIN="https://evil.example", **key)

    assert response["Access-Control-Allow-Origin"] == PARTNER
    assert "ETag" in response["Access-Control-Expose-Headers"]
    assert "Access-Control-Allow-Credentials" not in response
    assert preflight["Access-Control-Allow-Origin"] == PARTNER
    assert set(preflight["Access-Control-Allow-Methods"].split(", ")) == {"GET", "HEAD", "OPTIONS"}
    assert "Access-Control-Allow-Origin" not in other


@pytest.mark.django_db
def test_pages_outside_the_api_get_no_cors_headers(client, settings):
    settings.CORS_ALLOWED_ORIGINS = [PARTNER]

    response = client.get("/en/map/", HTTP_ORIGIN=PARTNER)

    assert response.status_code == 200
    assert "Access-Control-Allow-Origin" not in response
