import pytest
from django.core.exceptions import ValidationError

from assets.geo import areas_for_points, geometry_clean
from assets.models import Area
from assets.tests.factories import TOWNHILL, point


def test_a_point_in_wales_is_kept_with_its_coordinates():
    geometry, lat, lng = geometry_clean(point())
    assert (lat, lng) == TOWNHILL
    assert geometry == {"type": "Point", "coordinates": (TOWNHILL[1], TOWNHILL[0])}


def test_a_polygon_is_placed_at_a_point_inside_it():
    square = {
        "type": "Polygon",
        "coordinates": [
            [[-3.96, 51.628], [-3.95, 51.628], [-3.95, 51.632], [-3.96, 51.632], [-3.96, 51.628]]
        ],
    }
    _, lat, lng = geometry_clean(square)
    assert 51.628 < lat < 51.632 and -3.96 < lng < -3.95


@pytest.mark.parametrize(
    ("value", "message"),
    [
        (point(51.45, -2.59), "outside Wales"),  # Bristol
        (
            {
                "type": "Polygon",
                "coordinates": [
                    [[-3.96, 51.62], [-3.95, 51.63], [-3.96, 51.63], [-3.95, 51.62], [-3.96, 51.62]]
                ],
            },
            "edges do not cross",
        ),
        ({"type": "MultiPoint", "coordinates": [[-3.95, 51.62]]}, "a point, a line or an area"),
        ({"type": "Point", "coordinates": ["x"]}, "Each position must be a longitude and a"),
        ({"type": "Point", "coordinates": ["x", 51.6]}, "coordinates must be numbers"),
        ("not json", "not valid GeoJSON"),
    ],
)
def test_bad_locations_say_why(value, message):
    with pytest.raises(ValidationError, match=message):
        geometry_clean(value)


def test_points_get_their_lsoa_msoa_and_local_authority(swansea):
    [(lsoa, msoa, la), outside] = areas_for_points([TOWNHILL, (51.45, -2.59)])
    assert Area.objects.get(pk=msoa).code == "W02000186"  # Swansea 019, Townhill
    assert Area.objects.get(pk=la).code == "W06000011"
    assert Area.objects.get(pk=lsoa).parent_id == msoa
    assert outside == (None, None, None)
