"""What every map shares (assets.maps): the bounding box it asks for and the lean point
layer, whatever properties a layer carries."""

import json

import pytest

from assets.maps import bbox_parse, point_layer
from assets.models import Asset
from assets.tests.factories import AssetFactory


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("-4,51.6,-3.9,51.7", (-4.0, 51.6, -3.9, 51.7)),
        ("-4,51.6,-4,51.6", (-4.0, 51.6, -4.0, 51.6)),  # a point is a box
        ("-181,-91,181,91", (-180.0, -90.0, 180.0, 90.0)),  # zoomed out past the world
        ("1,2,0,3", None),  # west east of east
        ("0,3,1,2", None),  # south north of north
        ("1,2,3", None),
        ("1,2,3,4,5", None),
        ("a,b,c,d", None),
        ("nan,1,2,3", None),
        ("-inf,1,2,3", None),
        ("", None),
    ],
)
def test_a_box_is_four_finite_numbers_in_order_clamped_to_the_world(value, expected):
    assert bbox_parse(value) == expected


@pytest.mark.django_db
@pytest.mark.parametrize(
    "properties", [("name",), ("name", "domain"), ("name", "domain", "cost", "status")]
)
def test_the_point_layer_carries_exactly_the_properties_asked_for(properties):
    asset = AssetFactory(name="Hall", cost="free")
    AssetFactory(name="Nowhere", geometry=None, latitude=None, longitude=None)
    [feature] = json.loads(point_layer(Asset.objects.all(), *properties))["features"]
    assert feature["id"] == asset.pk
    assert feature["geometry"] == {
        "type": "Point",
        "coordinates": [asset.longitude, asset.latitude],
    }
    expected = {"name": "Hall", "domain": "structural", "cost": "free", "status": "published"}
    assert feature["properties"] == {name: expected[name] for name in properties}
