"""Bad locations and files say what is wrong and save nothing (no server error): deeply nested
JSON, coordinates that are not finite numbers (the height too) or out of range, in the asset
form's hidden map field and in imports (the barrier form: workshops/tests/test_bad_input.py)."""

import json
from html import unescape

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from assets.geo import geometry_clean
from assets.models import Asset, AssetCategory, AssetImport, ImportFormat, ImportStatus
from assets.services.imports import import_start
from assets.tests.factories import TOWNHILL
from core.models import Role

pytestmark = pytest.mark.django_db
LNG, LAT = TOWNHILL[1], TOWNHILL[0]
DEEP = "[" * 100_000 + "]" * 100_000
NOT_FINITE = "must be ordinary numbers, not infinity or “NaN”"
NOT_NUMBERS = "coordinates must be numbers"
OUT_OF_RANGE = "A longitude must be between -180 and 180 and a latitude between -90 and 90"
# Coordinates as JSON text (Python's json reads NaN and Infinity) → what the person is told.
BAD_POINTS = {
    "[NaN, 51.6]": NOT_FINITE,
    "[Infinity, 51.6]": NOT_FINITE,
    "[-Infinity, 51.6]": NOT_FINITE,
    "[-3.95, 1e400]": NOT_FINITE,
    '["west", 51.6]': NOT_NUMBERS,
    '["-3.95", "51.62"]': NOT_NUMBERS,
    "[true, 51.6]": NOT_NUMBERS,
    f"[{LNG}, {LAT}, NaN]": NOT_FINITE,
    f"[{LNG}, {LAT}, Infinity]": NOT_FINITE,
    f'[{LNG}, {LAT}, "high"]': NOT_NUMBERS,
    f"[{LAT}, 200.5]": OUT_OF_RANGE,
    "[-181, 51.6]": OUT_OF_RANGE,
    "[-3.95, 91]": OUT_OF_RANGE,
    "[-3.95]": "Each position must be a longitude and a latitude",
}


def point(coordinates: str) -> str:
    return f'{{"type": "Point", "coordinates": {coordinates}}}'


@pytest.mark.parametrize(("coordinates", "message"), BAD_POINTS.items())
def test_geometry_clean_says_what_is_wrong_with_the_coordinates(coordinates, message):
    with pytest.raises(ValidationError) as error:
        geometry_clean(point(coordinates))
    assert message in error.value.messages[0]


def test_a_line_with_an_infinite_height_anywhere_is_refused():
    line = f'{{"type": "LineString", "coordinates": [[{LNG}, {LAT}, 1], [{LNG}, 51.63, Infinity]]}}'
    with pytest.raises(ValidationError, match="infinity"):
        geometry_clean(line)


def test_a_point_with_a_finite_height_is_kept():
    geometry, lat, lng = geometry_clean(point(f"[{LNG}, {LAT}, 12.5]"))
    assert (geometry["coordinates"], lat, lng) == ((LNG, LAT, 12.5), LAT, LNG)


@pytest.mark.parametrize(
    ("geometry", "message"),
    [
        (point(DEEP), "nested too deeply to read"),
        ('{"type": "Polygon", "coordinates": ' + "[" * 500 + "]" * 500 + "}", "Each position"),
        (point("[NaN, 51.6]"), NOT_FINITE),
        (point(f"[{LNG}, {LAT}, Infinity]"), NOT_FINITE),
        (point('["x", 51.6]'), NOT_NUMBERS),
        (point("[-300, 951]"), OUT_OF_RANGE),
    ],
)
def test_the_asset_form_explains_a_bad_map_pin_and_saves_nothing(
    coordinator_client, geometry, message
):
    category = AssetCategory.objects.get(slug="community-centre")
    response = coordinator_client.post(
        reverse("assets:asset-add"), {"category": category.pk, "name": "Hall", "geometry": geometry}
    )
    assert response.status_code == 200
    assert message in unescape(response.content.decode())
    assert not Asset.objects.exists()


@pytest.fixture
def coordinator(make_user):
    return make_user(Role.COORDINATOR)


@pytest.mark.parametrize("fmt", [ImportFormat.GEOJSON, ImportFormat.OPENREFERRAL])
def test_an_import_nested_too_deeply_is_refused_whole_and_records_nothing(coordinator, fmt):
    with pytest.raises(ValidationError, match="nested too deeply to read"):
        import_start(requested_by=coordinator, file_name="a.json", content=DEEP, format=fmt)
    assert not AssetImport.objects.exists()


def test_the_upload_page_explains_a_deeply_nested_file(coordinator_client):
    upload = SimpleUploadedFile("deep.geojson", DEEP.encode())
    response = coordinator_client.post(reverse("assets:asset-import-new"), {"file": upload})
    assert "nested too deeply to read" in unescape(response.content.decode())
    assert not AssetImport.objects.exists()


def test_geojson_rows_with_bad_coordinates_are_named_with_the_reason(coordinator):
    library = {"name": "Library", "category": "library"}
    features = [
        {"type": "Feature", "properties": library, "geometry": json.loads(point(coordinates))}
        for coordinates in BAD_POINTS
    ]
    content = json.dumps({"type": "FeatureCollection", "features": features})
    job = import_start(
        requested_by=coordinator, file_name="a.geojson", content=content, format="geojson"
    )
    assert job.state == ImportStatus.INVALID
    said = [(row["row"], row["errors"][0]["message"]) for row in job.preview]
    assert [n for n, _ in said] == list(range(1, len(BAD_POINTS) + 1))
    for (_n, message), expected in zip(said, BAD_POINTS.values(), strict=True):
        assert expected in message
    assert not Asset.objects.exists()


@pytest.mark.parametrize("value", ["nan", "inf", "-inf", "Infinity", "north", "1e400"])
def test_csv_rows_with_non_numeric_or_infinite_coordinates_are_named(coordinator, value):
    content = f"name,category,latitude,longitude\nLibrary,library,{value},{LNG}\n"
    job = import_start(requested_by=coordinator, file_name="a.csv", content=content, format="csv")
    [row] = job.preview
    assert (row["row"], row["errors"][0]["field"]) == (2, "latitude")
    assert f"must be a number between -90 and 90, not “{value}”" in row["errors"][0]["message"]
