"""Areas for partners (/api/v1/areas/): codes, names, level and parent, filtered; the
boundary only when asked for."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from assets.models import Area, AreaLevel
from core.tests.factories import api_key_make

AREAS = "/api/v1/areas/"
BOX = {
    "type": "Polygon",
    "coordinates": [[[-4.0, 51.6], [-3.95, 51.6], [-3.95, 51.65], [-4.0, 51.65], [-4.0, 51.6]]],
}


@pytest.fixture
def key(db):
    _key, secret = api_key_make("public")
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}


@pytest.fixture
def swansea(db):
    county = Area.objects.create(
        code="W06000011", name_en="Swansea", name_cy="Abertawe", level=AreaLevel.LOCAL_AUTHORITY
    )
    msoa = Area.objects.create(
        code="W02000174", name_en="Swansea 016", level=AreaLevel.MSOA, parent=county,
        boundary=BOX,
    )  # fmt: skip
    return {"county": county, "msoa": msoa}


@pytest.mark.django_db
def test_areas_are_filtered_by_level_and_parent(client, key, swansea):
    msoas = client.get(AREAS, {"level": "msoa"}, **key).json()["results"]
    children = client.get(AREAS, {"parent": "W06000011"}, **key).json()["results"]

    assert [row["code"] for row in msoas] == ["W02000174"]
    assert msoas[0]["parent"] == "W06000011"
    assert "boundary" not in msoas[0]
    assert [row["code"] for row in children] == ["W02000174"]


@pytest.mark.django_db
def test_an_area_has_its_boundary_on_request(client, key, swansea):
    one = client.get(f"{AREAS}{swansea['msoa'].pk}/", {"boundary": "true"}, **key).json()

    assert one["boundary"]["type"] == "Polygon"
    assert one["name_en"] == "Swansea 016"


@pytest.mark.django_db
def test_a_wrong_level_is_a_400_naming_it(client, key):
    response = client.get(AREAS, {"level": "planet"}, **key)

    assert response.status_code == 400
    assert "level" in response.json()


@pytest.mark.django_db
def test_areas_take_as_many_queries_for_thirty_rows_as_for_one(client, key, swansea):
    client.get(AREAS, **key)
    with CaptureQueriesContext(connection) as one:
        assert client.get(AREAS, {"boundary": "true"}, **key).status_code == 200
    for n in range(29):
        Area.objects.create(
            code=f"W01{n:06}", name_en=f"LSOA {n}", level=AreaLevel.LSOA,
            parent=swansea["msoa"], boundary=BOX,
        )  # fmt: skip
    with CaptureQueriesContext(connection) as thirty:
        assert len(client.get(AREAS, {"boundary": "true"}, **key).json()["results"]) >= 30

    assert len(thirty) == len(one) <= 3
