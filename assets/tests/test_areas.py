"""Loading boundaries (import_areas) and assigning located rows to their areas in bulk."""

import json

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.db import transaction

from assets.demo import _load, wales_load
from assets.geo import area_index, area_version_bump, areas_for_points
from assets.models import Area, AreaLevel, Asset, AssetAreas
from assets.services.areas import areas_assign, areas_import_geojson
from assets.tests.factories import AssetFactory

# Representative points of three real Swansea LSOAs (2011), with their LSOA and MSOA names.
KNOWN = [
    ((51.574801, -4.047472), "W01000736", "Swansea 028"),
    ((51.582671, -4.034914), "W01000737", "Swansea 028"),
    ((51.638647, -3.897685), "W01000738", "Swansea 014"),
]
BRISTOL = (51.45, -2.59)


def swansea_files(tmp_path, *, leave_out=()):
    """The shipped Swansea boundaries as files (the LSOAs without the codes in leave_out)."""
    paths = {}
    for level, name in [("la", "lad"), ("msoa", "msoa"), ("lsoa", "lsoa")]:
        collection = _load(f"{name}_W06000011.json")
        collection["features"] = [
            feature
            for feature in collection["features"]
            if feature["properties"].get("LSOA11CD") not in leave_out
        ]
        paths[level] = tmp_path / f"{level}.json"
        paths[level].write_text(json.dumps(collection))
    return paths


def import_swansea(paths, *extra):
    for level in ("la", "msoa", "lsoa"):
        call_command("import_areas", str(paths[level]), "--level", level, *extra)


def counts():
    return {level: Area.objects.filter(level=level).count() for level in ("la", "msoa", "lsoa")}


@pytest.mark.django_db
def test_importing_twice_leaves_the_same_areas_with_parents_found_by_containment(tmp_path):
    paths = swansea_files(tmp_path)
    import_swansea(paths)
    first = dict(Area.objects.values_list("code", "parent__code"))
    import_swansea(paths)
    assert counts() == {"la": 1, "msoa": 31, "lsoa": 148}
    assert dict(Area.objects.values_list("code", "parent__code")) == first
    lsoa = Area.objects.get(code="W01000738")
    assert (lsoa.name_en, lsoa.parent.name_en, lsoa.parent.parent.code) == (
        "Swansea 014A",
        "Swansea 014",
        "W06000011",
    )
    assert Area.objects.get(code="W06000011").name_cy == "Abertawe"


@pytest.mark.django_db
def test_every_broken_feature_is_named_with_its_field_and_nothing_is_written(tmp_path):
    collection = _load("lad_W06000011.json")
    good = collection["features"][0]
    collection["features"] = [
        good,
        {**good, "properties": {"LAD13CD": "W06000099"}},
        {"type": "Feature", "properties": {"LAD13CD": "W06000098", "LAD13NM": "X"}},
        {**good, "properties": {"LAD13NM": "No code"}},
        good,
    ]
    path = tmp_path / "la.json"
    path.write_text(json.dumps(collection))
    with pytest.raises(CommandError) as error:
        call_command("import_areas", str(path), "--level", "la")
    assert str(error.value).splitlines() == [
        f"{path}: nothing was imported.",
        "Feature 2 (W06000099): LAD13NM: missing (the area's name).",
        "Feature 3 (W06000098): geometry: cannot be read ('geometry').",
        "Feature 4: LAD13CD: missing (the area's code).",
        "Feature 5 (W06000011): LAD13CD: W06000011 appears more than once in the file.",
    ]
    assert Area.objects.count() == 0


@pytest.mark.django_db
def test_an_lsoa_outside_every_loaded_msoa_is_refused(tmp_path):
    paths = swansea_files(tmp_path)
    with pytest.raises(CommandError, match="import the msoa boundaries first"):
        call_command("import_areas", str(paths["lsoa"]), "--level", "lsoa")
    call_command("import_areas", str(paths["la"]), "--level", "la")
    call_command("import_areas", str(paths["msoa"]), "--level", "msoa")
    cardiff = {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "properties": {"LSOA11CD": "W01001700", "LSOA11NM": "Cardiff"},
                "geometry": {
                    "type": "Polygon",
                    "coordinates": [
                        [[-3.18, 51.48], [-3.17, 51.48], [-3.17, 51.49], [-3.18, 51.48]]
                    ],
                },
            }
        ],
    }
    with pytest.raises(ValidationError, match="Feature 1 .W01001700.: geometry: no loaded msoa"):
        areas_import_geojson(
            collection=cardiff,
            level=AreaLevel.LSOA,
            code_field="LSOA11CD",
            name_field="LSOA11NM",
            parent_level=AreaLevel.MSOA,
        )
    assert counts()["lsoa"] == 0


@pytest.mark.django_db
def test_populations_come_from_a_csv_and_a_bad_row_changes_nothing(tmp_path):
    paths = swansea_files(tmp_path)
    good = tmp_path / "good.csv"
    good.write_text('Code,Population,Note\nW06000011,"239,023",census\nW99999999,5,elsewhere\n')
    call_command("import_areas", str(paths["la"]), "--level", "la", "--populations", str(good))
    assert Area.objects.get(code="W06000011").population == 239023
    bad = tmp_path / "bad.csv"
    bad.write_text("code,population\nW06000011,1000\nW06000012,many\nW06000013,-4\n")
    with pytest.raises(CommandError) as error:
        call_command("import_areas", str(paths["la"]), "--level", "la", "--populations", str(bad))
    assert str(error.value).splitlines() == [
        "Populations row 3 (W06000012): population “many” is not a whole number of people.",
        "Populations row 4 (W06000013): population “-4” is not a whole number of people.",
    ]
    assert Area.objects.get(code="W06000011").population == 239023
    # Importing again without populations keeps them.
    call_command("import_areas", str(paths["la"]), "--level", "la")
    assert Area.objects.get(code="W06000011").population == 239023


@pytest.mark.django_db
def test_a_parent_can_be_named_by_a_property(tmp_path):
    paths = swansea_files(tmp_path)
    call_command("import_areas", str(paths["la"]), "--level", "la")
    collection = _load("msoa_W06000011.json")
    for feature in collection["features"]:
        feature["properties"]["LAD"] = "W06000011"
    collection["features"][1]["properties"]["LAD"] = "W06000404"
    path = tmp_path / "msoa.json"
    path.write_text(json.dumps(collection))
    name = collection["features"][1]["properties"]["MSOA11CD"]
    with pytest.raises(CommandError, match=f"Feature 2 .{name}.: LAD: no loaded area has the code"):
        call_command("import_areas", str(path), "--level", "msoa", "--parent-property", "LAD")
    collection["features"][1]["properties"]["LAD"] = "W06000011"
    path.write_text(json.dumps(collection))
    call_command("import_areas", str(path), "--level", "msoa", "--parent-property", "LAD")
    assert set(Area.objects.filter(level="msoa").values_list("parent__code", flat=True)) == {
        "W06000011"
    }


@pytest.mark.django_db
@pytest.mark.parametrize("set_based_from", [500, 1], ids=["per-area-updates", "one-update"])
def test_areas_assign_puts_points_in_their_real_lsoas_and_writes_only_changes(
    swansea, django_assert_num_queries, monkeypatch, set_based_from
):
    monkeypatch.setattr("assets.services.areas.SET_BASED_FROM", set_based_from)
    assets = [AssetFactory(latitude=lat, longitude=lng) for (lat, lng), *_ in KNOWN]
    outside = AssetFactory(latitude=BRISTOL[0], longitude=BRISTOL[1])
    unplaced = AssetFactory(geometry=None, latitude=None, longitude=None)
    assert areas_assign(queryset=Asset.objects.all()) == 3
    for asset, (_, lsoa, msoa) in zip(assets, KNOWN, strict=True):
        asset.refresh_from_db()
        areas = asset.areas
        assert (areas.lsoa.code, areas.msoa.name_en, areas.local_authority.code) == (
            lsoa,
            msoa,
            "W06000011",
        )
    for asset in (outside, unplaced):
        asset.refresh_from_db()
        assert asset.area_ids == []
    # Nothing changed: a savepoint, one read, the version check, no writes.
    with django_assert_num_queries(4):
        assert areas_assign(ids=[a.pk for a in assets]) == 0
    Asset.objects.filter(pk=assets[0].pk).update(latitude=KNOWN[2][0][0], longitude=KNOWN[2][0][1])
    assert areas_assign(ids=[assets[0].pk]) == 1
    assert Asset.objects.get(pk=assets[0].pk).areas.lsoa.code == "W01000738"


@pytest.mark.django_db
def test_the_one_statement_write_leaves_the_rows_the_bulk_upsert_leaves(swansea, monkeypatch):
    """Many areas rows are written in one INSERT … ON CONFLICT (PostgreSQL: COPY into a
    temporary table; SQLite: JSON): the same end state as Django's bulk upsert, nulls
    included, and twice in one transaction (assets then barriers, as a boundary import does)."""
    points = [point for point, *_ in KNOWN] * 4 + [BRISTOL] * 2
    assets = [AssetFactory(latitude=lat, longitude=lng) for lat, lng in points]
    lsoas = list(Area.objects.filter(level=AreaLevel.LSOA).order_by("-code")[:3])

    def written(set_based_from: int) -> list[tuple]:
        for n, asset in enumerate(assets):  # start from wrong areas: every row changes
            wrong = lsoas[n % 3]
            AssetAreas.objects.update_or_create(
                asset=asset,
                defaults={
                    "lsoa": wrong, "msoa": wrong.parent, "local_authority": wrong.parent.parent
                },
            )  # fmt: skip
        monkeypatch.setattr("assets.services.areas.SET_BASED_FROM", set_based_from)
        with transaction.atomic():
            half = len(assets) // 2
            changed = areas_assign(ids=[a.pk for a in assets[:half]])
            changed += areas_assign(ids=[a.pk for a in assets[half:]])
        return changed, list(
            Asset.objects.order_by("pk").values_list(
                "pk", "areas__lsoa__code", "areas__msoa__code", "areas__local_authority__code"
            )
        )

    one_update, per_area = written(1), written(10_000)
    assert one_update == per_area
    changed, rows = one_update
    assert changed == len(assets)
    assert [row[1] for row in rows[:3]] == [code for _, code, _ in KNOWN]
    assert {row[3] for row in rows[:-2]} == {"W06000011"}
    assert rows[-2:] == [(a.pk, None, None, None) for a in assets[-2:]]  # Bristol: no area


@pytest.mark.django_db
def test_a_boundary_changed_by_another_process_is_seen_once_the_version_moves(swansea):
    (lat, lng), code, _ = KNOWN[0]
    [(lsoa, _, _)] = areas_for_points([(lat, lng)])
    index = area_index()
    assert area_index() is index  # unchanged version: the same index, not rebuilt
    Area.objects.filter(pk=lsoa).update(
        boundary={
            "type": "Polygon",
            "coordinates": [[[0, 0], [1, 0], [1, 1], [0, 0]]],
        }
    )
    assert areas_for_points([(lat, lng)])[0][0] == lsoa  # the old index, until told
    area_version_bump()
    assert areas_for_points([(lat, lng)]) == [(None, None, None)]


@pytest.mark.django_db
def test_all_of_wales_is_shipped_and_loads_with_every_parent():
    assert wales_load() == "All of Wales: 22 local authorities, 410 MSOAs, 1909 LSOAs"
    assert counts() == {"la": 22, "msoa": 410, "lsoa": 1909}
    assert not Area.objects.filter(level__in=["msoa", "lsoa"], parent=None).exists()
    cardiff_bay = (51.4644, -3.1636)
    [(lsoa, msoa, la)] = areas_for_points([cardiff_bay])
    assert Area.objects.get(pk=la).name_en == "Cardiff"
    assert Area.objects.get(pk=lsoa).parent_id == msoa
