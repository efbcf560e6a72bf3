"""`updated_since` (and Open Referral's `modified_after`) take any moment a person can type:
an offset Python accepts but PostgreSQL refuses, or the very first and last moments there are,
gives rows or none, never a server error."""

from urllib.parse import quote

import pytest

from assets.tests.factories import AssetFactory
from core.models import Role

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "since",
    [
        "1962-02-14T23:39:51.777115+18:57",  # an offset PostgreSQL refuses (found by fuzzing)
        "2026-01-01T00:00:00-23:59",
        "0001-01-01T00:00:00+05:00",  # before year 1 began in UTC: everything
        "9999-12-31T23:59:59-05:00",  # past what UTC holds: nothing
    ],
)
def test_updated_since_takes_any_offset_a_person_can_type(client_as, since):
    AssetFactory()
    client = client_as(Role.COORDINATOR)
    response = client.get(f"/api/v1/assets/?updated_since={quote(since)}")
    assert response.status_code == 200
    expected = 0 if since.startswith("9999") else 1
    assert response.json()["count"] == expected
    for path in ("/api/v1/indicator-values/", "/api/v1/area-summaries/", "/api/v1/workshops/"):
        assert client.get(f"{path}?updated_since={quote(since)}").status_code == 200
    openreferral = client.get(f"/api/openreferral/services?modified_after={quote(since)}")
    assert openreferral.status_code == 200
    assert openreferral.json()["total_items"] == expected
