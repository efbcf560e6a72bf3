import csv
import io
import json
import uuid
from datetime import date, datetime
from pathlib import Path

import openpyxl
import orjson
import pytest
from django.urls import reverse
from django.utils import timezone
from jsonschema.validators import validator_for
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

from assets.models import Area, AreaLevel, AssetCategory, AssetStatus, Cost
from assets.services.exports import (
    COLUMNS,
    NAMESPACE,
    export_csv,
    export_geojson,
    export_openreferral,
    export_xlsx,
    exportable_assets,
)
from assets.tests.factories import TOWNHILL, AssetFactory, point
from tests.services import require_service

pytestmark = pytest.mark.django_db

OPENREFERRAL = Path(__file__).resolve().parents[1] / "data" / "openreferral-uk"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def category(slug: str) -> AssetCategory:
    return AssetCategory.objects.get(slug=slug)


def skill(name: str, *, consent: bool):
    return AssetFactory(
        name=name,
        category=category("skills"),
        geometry=None,
        latitude=None,
        longitude=None,
        publish_consent=consent,
    )


@pytest.fixture
def areas():
    swansea = Area.objects.create(
        code="W06000011", name_en="Swansea", name_cy="Abertawe", level=AreaLevel.LOCAL_AUTHORITY
    )
    msoa = Area.objects.create(
        code="W02000174", name_en="Swansea 016", level=AreaLevel.MSOA, parent=swansea
    )
    lsoa = Area.objects.create(
        code="W01000845", name_en="Swansea 016C", level=AreaLevel.LSOA, parent=msoa
    )
    return {"lsoa": lsoa, "msoa": msoa, "local_authority": swansea}


@pytest.fixture
def directory(areas):
    """Published assets (one with every detail, two with formula-like names, a consented
    skill) and two that must never leave the project."""
    return {
        "hall": AssetFactory(
            name="Townhill Community Centre",
            name_cy="Canolfan Gymunedol Townhill",
            description="A hall for hire, a café and a warm space.",
            description_cy="Neuadd i'w llogi, caffi a lle cynnes.",
            address="Powys Avenue, Townhill",
            postcode="SA1 6PH",
            contact="+44 1792 000000",
            website="https://example.org/hall",
            opening_times="Monday to Friday, 9am to 5pm",
            cost=Cost.FREE,
            languages=["en", "cy", "ar"],
            welcoming_to=["sanctuary", "families"],
            accessibility="Step-free entrance and a hearing loop",
            last_verified_on=date(2026, 5, 1),
            **areas,
        ),
        "hyperlink": AssetFactory(name='=HYPERLINK("x")', category=category("library")),
        "sum": AssetFactory(name="@SUM(A1:A2)", description="-2+3", cost=Cost.LOW),
        "skill": skill("Bike repair lessons", consent=True),
        "private_skill": skill("Sewing at home", consent=False),
        "unpublished": AssetFactory(name="Drop-in not yet checked", status=AssetStatus.SUBMITTED),
    }


PUBLISHED = ['=HYPERLINK("x")', "@SUM(A1:A2)", "Bike repair lessons", "Townhill Community Centre"]
NEVER = ["Sewing at home", "Drop-in not yet checked"]


def csv_rows(text: str) -> list[dict]:
    return list(csv.DictReader(io.StringIO(text)))


def xlsx_rows(content: bytes) -> list[tuple]:
    sheet = openpyxl.load_workbook(io.BytesIO(content)).active
    return list(sheet.iter_rows())


def test_exportable_assets_are_published_and_leave_out_unconsented_skills(directory):
    names = [asset.name for asset in exportable_assets()]

    assert sorted(names) == sorted(PUBLISHED)
    assert names.index("Bike repair lessons") < names.index("Townhill Community Centre")


def test_geojson_is_a_feature_collection_with_every_detail(directory):
    collection = orjson.loads(export_geojson(assets=exportable_assets()))

    assert collection["type"] == "FeatureCollection"
    features = {feature["properties"]["name"]: feature for feature in collection["features"]}
    assert sorted(features) == sorted(PUBLISHED)
    hall = features["Townhill Community Centre"]
    assert hall["id"] == directory["hall"].pk
    assert hall["geometry"] == point()
    assert hall["properties"] == {
        "id": directory["hall"].pk,
        "name": "Townhill Community Centre",
        "name_cy": "Canolfan Gymunedol Townhill",
        "description": "A hall for hire, a café and a warm space.",
        "description_cy": "Neuadd i'w llogi, caffi a lle cynnes.",
        "category": "community-centre",
        "category_name": "Community centre",
        "category_name_cy": "Canolfan gymunedol",
        "domain": "structural",
        "address": "Powys Avenue, Townhill",
        "postcode": "SA1 6PH",
        "contact": "+44 1792 000000",
        "website": "https://example.org/hall",
        "opening_times": "Monday to Friday, 9am to 5pm",
        "cost": "free",
        "languages": ["en", "cy", "ar"],
        "welcoming_to": ["sanctuary", "families"],
        "accessibility": "Step-free entrance and a hearing loop",
        "last_verified_on": "2026-05-01",
        "lsoa": "W01000845",
        "msoa": "W02000174",
        "local_authority": "W06000011",
    }
    assert features["Bike repair lessons"]["geometry"] is None


def test_csv_neutralises_formulas_and_joins_lists(directory):
    rows = {row["id"]: row for row in csv_rows(export_csv(assets=exportable_assets()))}

    assert rows[str(directory["hyperlink"].pk)]["name"] == '\'=HYPERLINK("x")'
    assert rows[str(directory["sum"].pk)]["name"] == "'@SUM(A1:A2)"
    assert rows[str(directory["sum"].pk)]["description"] == "'-2+3"
    hall = rows[str(directory["hall"].pk)]
    assert hall["contact"] == "'+44 1792 000000"
    assert hall["languages"] == "en; cy; ar"
    assert hall["welcoming_to"] == "sanctuary; families"
    assert (hall["latitude"], hall["longitude"]) == (str(TOWNHILL[0]), str(TOWNHILL[1]))
    assert hall["local_authority"] == "W06000011"
    assert rows[str(directory["skill"].pk)]["latitude"] == ""


def test_csv_header_is_the_shared_column_list(directory):
    header = next(csv.reader(io.StringIO(export_csv(assets=exportable_assets()))))
    assert header == COLUMNS
    assert {"latitude", "longitude", "name_cy", "lsoa"} <= set(header)


def test_xlsx_neutralises_formulas_and_keeps_numbers_as_numbers(directory):
    header, *rows = xlsx_rows(export_xlsx(assets=exportable_assets()))

    assert [cell.value for cell in header] == COLUMNS
    assert all(cell.font.bold for cell in header)
    column = {name: index for index, name in enumerate(COLUMNS)}
    by_id = {row[column["id"]].value: row for row in rows}
    hyperlink = by_id[directory["hyperlink"].pk][column["name"]]
    assert hyperlink.value == '\'=HYPERLINK("x")'
    assert hyperlink.data_type == "s"
    assert by_id[directory["sum"].pk][column["name"]].value == "'@SUM(A1:A2)"
    hall = by_id[directory["hall"].pk]
    assert hall[column["latitude"]].value == pytest.approx(TOWNHILL[0])
    assert hall[column["latitude"]].data_type == "n"
    assert hall[column["languages"]].value == "en; cy; ar"


def test_control_characters_cannot_smuggle_a_formula_past_the_check(directory):
    AssetFactory(name="\x01=1+1")
    names = [row["name"] for row in csv_rows(export_csv(assets=exportable_assets()))]
    assert "'=1+1" in names


def _text_of_every_format() -> dict[str, str]:
    assets = exportable_assets()
    workbook = xlsx_rows(export_xlsx(assets=assets))
    return {
        "geojson": export_geojson(assets=assets).decode(),
        "csv": export_csv(assets=assets),
        "xlsx": "\n".join(str(cell.value) for row in workbook for cell in row),
        "openreferral": orjson.dumps(export_openreferral(assets=assets)).decode(),
    }


def test_unpublished_assets_and_unconsented_skills_are_absent_from_every_format(directory):
    for name, text in _text_of_every_format().items():
        assert "Bike repair lessons" in text, name
        for hidden in NEVER:
            assert hidden not in text, f"{hidden!r} leaked into the {name} export"


@pytest.mark.parametrize(
    ("export", "queries"),
    [(export_geojson, 1), (export_csv, 1), (export_xlsx, 1), (export_openreferral, 2)],
)
def test_each_export_reads_the_assets_in_constant_queries(
    directory, django_assert_num_queries, export, queries
):
    AssetFactory.create_batch(10)
    with django_assert_num_queries(queries):
        export(assets=exportable_assets())


# Open Referral UK


def _schema_folder() -> Path:
    folder = OPENREFERRAL / "schema"
    require_service("openreferral-uk schemas (assets/data)", (folder / "compiled").is_dir())
    return folder


def _validator(path: Path):
    schema = json.loads(path.read_text())
    registry = Registry().with_resources(
        (
            other.name,
            Resource.from_contents(json.loads(other.read_text()), DRAFT202012),
        )
        for other in path.parent.glob("*.json")
    )
    cls = validator_for(schema)
    return cls(schema, registry=registry, format_checker=cls.FORMAT_CHECKER)


TABLE_SCHEMAS = {
    "organizations": "organization",
    "services": "service",
    "locations": "location",
    "service_at_locations": "service_at_location",
    "taxonomies": "taxonomy",
    "taxonomy_terms": "taxonomy_term",
}


def _schema_for(table: str) -> Path:
    """The compiled schema where the UK profile has one, else the plain one (its $refs
    resolved against the other plain schemas)."""
    folder = _schema_folder()
    name = TABLE_SCHEMAS[table]
    compiled = folder / "compiled" / f"{name}.json"
    return compiled if compiled.exists() else folder / f"{name}.json"


def test_open_referral_items_each_validate_against_the_uk_profile(directory):
    output = export_openreferral(assets=exportable_assets())

    assert set(output) == set(TABLE_SCHEMAS)
    errors = []
    for table, items in output.items():
        assert items, f"{table} is empty"
        validator = _validator(_schema_for(table))
        errors += [
            f"{table}[{index}] {'/'.join(map(str, error.absolute_path))}: {error.message}"
            for index, item in enumerate(items)
            for error in validator.iter_errors(item)
        ]
    assert not errors, "Open Referral UK validation errors:\n" + "\n".join(errors)


def test_open_referral_tables_validate_as_uk_profile_packages(directory):
    output = export_openreferral(assets=exportable_assets())
    compiled = _schema_folder() / "compiled"
    for table, package in [
        ("organizations", "organization_package.json"),
        ("services", "service_package.json"),
        ("service_at_locations", "service_at_location_package.json"),
    ]:
        errors = [
            error.message for error in _validator(compiled / package).iter_errors(output[table])
        ]
        assert not errors, f"{table}: {errors}"


def _by_id(items: list[dict]) -> dict[str, dict]:
    return {item["id"]: item for item in items}


def test_open_referral_maps_a_place_to_a_service_with_its_location(directory):
    output = export_openreferral(assets=exportable_assets())
    hall = directory["hall"]
    service_id = str(uuid.uuid5(NAMESPACE, f"asset:{hall.pk}"))
    [organisation] = output["organizations"]

    service = _by_id(output["services"])[service_id]
    assert service["name"] == "Townhill Community Centre"
    assert service["description"] == "A hall for hire, a café and a warm space."
    assert service["url"] == "https://example.org/hall"
    assert service["status"] == "active"
    assert service["organization_id"] == organisation["id"]
    assert service["assured_date"] == "2026-05-01"
    assert datetime.fromisoformat(service["last_modified"]).tzinfo is not None
    assert [language["code"] for language in service["languages"]] == ["en", "cy", "ar"]
    assert [language["name"] for language in service["languages"]][2] == "Arabic"
    assert [(c["option"], c["amount"]) for c in service["cost_options"]] == [("Free", 0)]
    assert [contact["name"] for contact in service["contacts"]] == ["+44 1792 000000"]
    assert service["schedules"][0]["description"] == "Monday to Friday, 9am to 5pm"
    assert "email" not in service

    [link] = [sal for sal in output["service_at_locations"] if sal["service_id"] == service_id]
    location = _by_id(output["locations"])[link["location_id"]]
    assert (location["latitude"], location["longitude"]) == TOWNHILL
    assert location["name"] == "Townhill Community Centre"
    [address] = location["addresses"]
    assert address["address_1"] == "Powys Avenue, Townhill"
    assert address["postal_code"] == "SA1 6PH"
    assert address["city"] == "Swansea"
    assert address["country"] == "GB"
    assert location["accessibility"][0]["description"] == "Step-free entrance and a hearing loop"


def test_open_referral_links_services_to_category_and_audience_terms(directory):
    output = export_openreferral(assets=exportable_assets())
    terms = _by_id(output["taxonomy_terms"])
    hall = _by_id(output["services"])[str(uuid.uuid5(NAMESPACE, f"asset:{directory['hall'].pk}"))]

    linked = {terms[a["taxonomy_term_id"]]["name"]: a["link_type"] for a in hall["attributes"]}
    assert linked == {
        "Community centre": "category",
        "People seeking sanctuary": "audience",
        "Families and children": "audience",
    }
    by_name = {term["name"]: term for term in terms.values()}
    assert by_name["Community centre"]["parent_id"] == by_name["Places to meet"]["id"]
    assert "Canolfan gymunedol" in by_name["Community centre"]["description"]
    assert "parent_id" not in by_name["Places to meet"]
    assert by_name["Community centre"]["taxonomy_id"] == output["taxonomies"][0]["id"]
    assert output["taxonomies"][0]["name"] == "Cymuned asset categories"
    assert "Advice" not in by_name, "only the categories in use (and their parents) are terms"


def test_open_referral_ids_are_stable_and_every_link_resolves(directory):
    first = export_openreferral(assets=exportable_assets())
    second = export_openreferral(assets=exportable_assets())
    assert first == second

    services, locations = _by_id(first["services"]), _by_id(first["locations"])
    terms, taxonomies = _by_id(first["taxonomy_terms"]), _by_id(first["taxonomies"])
    for link in first["service_at_locations"]:
        assert link["service_id"] in services and link["location_id"] in locations
    for service in services.values():
        assert service["organization_id"] == first["organizations"][0]["id"]
        assert all(a["taxonomy_term_id"] in terms for a in service["attributes"])
    for term in terms.values():
        assert term["taxonomy_id"] in taxonomies
        assert term.get("parent_id") in {None, *terms}


def test_open_referral_gives_a_skill_a_service_but_no_location(directory):
    output = export_openreferral(assets=exportable_assets())
    service_id = str(uuid.uuid5(NAMESPACE, f"asset:{directory['skill'].pk}"))

    assert _by_id(output["services"])[service_id]["name"] == "Bike repair lessons"
    assert service_id not in {link["service_id"] for link in output["service_at_locations"]}
    assert len(output["locations"]) == 3


# The pages (their URLs are included from assets/urls.py)


def download(client, export_format: str):
    return client.get(reverse("assets:asset-export-download"), {"format": export_format})


@pytest.mark.parametrize(
    ("export_format", "content_type", "extension"),
    [
        ("geojson", "application/geo+json", "geojson"),
        ("csv", "text/csv; charset=utf-8", "csv"),
        ("xlsx", XLSX, "xlsx"),
        ("openreferral", "application/json", "openreferral-uk.json"),
    ],
)
def test_a_coordinator_downloads_each_format(
    directory, coordinator_client, export_format, content_type, extension
):
    response = download(coordinator_client, export_format)

    assert response.status_code == 200
    assert response["Content-Type"] == content_type
    assert response["Content-Disposition"] == (
        f'attachment; filename="cymuned-assets-{timezone.localdate().isoformat()}.{extension}"'
    )
    assert b"Sewing at home" not in response.content


def test_the_csv_download_opens_in_excel_as_utf8(directory, coordinator_client):
    response = download(coordinator_client, "csv")

    assert response.content.startswith(b"\xef\xbb\xbf")
    rows = {row["id"]: row for row in csv_rows(response.content.decode("utf-8-sig"))}
    assert len(rows) == len(PUBLISHED)
    assert rows[str(directory["hall"].pk)]["name_cy"] == "Canolfan Gymunedol Townhill"
    assert rows[str(directory["hyperlink"].pk)]["name"] == '\'=HYPERLINK("x")'


def test_an_unknown_format_is_not_found(coordinator_client):
    assert download(coordinator_client, "pdf").status_code == 404
    assert coordinator_client.get(reverse("assets:asset-export-download")).status_code == 404


@pytest.mark.parametrize("role", ["participant", "facilitator", "evaluator", "partner"])
def test_other_roles_may_not_export(client_as, role):
    client = client_as(role)
    assert download(client, "csv").status_code == 403
    assert client.get(reverse("assets:asset-exports")).status_code == 403


def test_anonymous_people_are_sent_to_sign_in(client):
    for url in [
        reverse("assets:asset-exports"),
        f"{reverse('assets:asset-export-download')}?format=csv",
    ]:
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith("/en/sign-in/")


def test_the_export_page_links_each_download(coordinator_client):
    response = coordinator_client.get(reverse("assets:asset-exports"))

    assert response.status_code == 200
    page = response.content.decode()
    for export_format in ["geojson", "csv", "xlsx", "openreferral"]:
        assert f"{reverse('assets:asset-export-download')}?format={export_format}" in page
    assert "unless the person agreed" in page


@pytest.mark.parametrize("export_format", ["geojson", "csv", "xlsx", "openreferral"])
def test_the_download_query_count_does_not_grow_with_the_assets(
    directory, coordinator_client, django_assert_max_num_queries, export_format
):
    with django_assert_max_num_queries(8) as few:
        download(coordinator_client, export_format)
    AssetFactory.create_batch(30)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert download(coordinator_client, export_format).status_code == 200
