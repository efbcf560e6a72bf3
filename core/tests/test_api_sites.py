"""The programme's sites for partners (/api/v1/sites/): names, and the boundary only when
asked for, simplified at a bounded tolerance."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from core.tests.factories import SiteFactory, api_key_make

SITES = "/api/v1/sites/"
# A square with a point a hair off one edge: simplified away at 0.001°, kept at 0.
SQUARE = {
    "type": "Polygon",
    "coordinates": [
        [
            [-4.0, 51.6],
            [-3.95, 51.6],
            [-3.95, 51.65],
            [-3.975, 51.65001],
            [-4.0, 51.65],
            [-4.0, 51.6],
        ]
    ],
}


@pytest.fixture
def key(db):
    _key, secret = api_key_make("public")
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}


@pytest.mark.django_db
def test_sites_have_names_and_no_boundary_unless_asked(client, key):
    SiteFactory(slug="townhill", name_en="Townhill", name_cy="Townhill", boundary=SQUARE)

    rows = client.get(SITES, {"ordering": "slug"}, **key).json()["results"]

    townhill = next(row for row in rows if row["slug"] == "townhill")
    assert townhill["name_en"] == "Townhill"
    assert "boundary" not in townhill


@pytest.mark.django_db
def test_a_boundary_is_simplified_at_the_tolerance_asked_for(client, key):
    SiteFactory(slug="townhill", boundary=SQUARE)

    def ring(**params):
        rows = client.get(SITES, {"boundary": "true", **params}, **key).json()["results"]
        return next(row for row in rows if row["slug"] == "townhill")["boundary"]["coordinates"][0]

    assert len(ring(tolerance="0")) == 6
    assert len(ring(tolerance="0.001")) == 5


@pytest.mark.django_db
@pytest.mark.parametrize("tolerance", ["-1", "0.5", "nan", "inf", "a lot"])
def test_a_tolerance_out_of_bounds_is_a_400_naming_it(client, key, tolerance):
    response = client.get(SITES, {"boundary": "true", "tolerance": tolerance}, **key)

    assert response.status_code == 400
    assert "tolerance" in response.json()


@pytest.mark.django_db
def test_sites_take_as_many_queries_for_thirty_rows_as_for_one(client, key):
    client.get(SITES, **key)
    with CaptureQueriesContext(connection) as one:
        assert client.get(SITES, {"boundary": "true"}, **key).status_code == 200
    for n in range(29):
        SiteFactory(slug=f"site-{n}", boundary=SQUARE)
    with CaptureQueriesContext(connection) as thirty:
        assert len(client.get(SITES, {"boundary": "true"}, **key).json()["results"]) >= 30

    assert len(thirty) == len(one) <= 3
