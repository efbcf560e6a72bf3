"""Importing assets from CSV, GeoJSON and Open Referral UK files: the check and its preview,
the all-or-nothing import, duplicates, and the pages (which need the import URLs wired in)."""

import html
import json
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

from assets.models import (
    Asset,
    AssetCategory,
    AssetImport,
    AssetSource,
    AssetStatus,
    ImportFormat,
    ImportStatus,
)
from assets.services import imports
from assets.services.exports import export_openreferral, exportable_assets
from assets.services.imports import import_confirm, import_retry, import_start
from assets.services.imports import run as import_run
from assets.tasks import import_check_task
from assets.tests.factories import TOWNHILL, AssetFactory
from core.models import JobStatus, Role

pytestmark = pytest.mark.django_db

OPENREFERRAL = Path(__file__).resolve().parents[1] / "data" / "openreferral-uk"
HEADER = "name,category,latitude,longitude,cost,languages,welcoming_to,website"
# Places in Swansea, each well away from the others (more than the duplicate distance).
MAYHILL = (51.6214, -3.9436)
CWMBWRLA = (51.6400, -3.9300)
BRISTOL = (51.45, -2.59)


def csv_file(*rows: str, header: str = HEADER) -> str:
    return "\n".join([header, *rows]) + "\n"


GOOD_CSV = csv_file(
    f"Townhill Community Centre,community-centre,{TOWNHILL[0]},{TOWNHILL[1]},Free,cy;ar,tenants",
    f"Mayhill Library,Library,{MAYHILL[0]},{MAYHILL[1]},Low cost,Welsh,"
    '"sanctuary, families",www.example.org',
    f"Language Café,caffi iaith neu glwb sgwrsio,{CWMBWRLA[0]},{CWMBWRLA[1]},paid,,,",
)


def start(user, content: str, *, format=ImportFormat.CSV, default: str | None = None):
    return import_start(
        requested_by=user,
        file_name=f"assets.{format}",
        content=content,
        format=format,
        default_category=AssetCategory.objects.get(slug=default) if default else None,
    )


def import_commit(*, job_id: int, skip_duplicates: bool) -> AssetImport:
    """Confirm a small file's preview: it is imported in the request."""
    import_confirm(job_id=job_id, skip_duplicates=skip_duplicates)
    return AssetImport.objects.get(pk=job_id)


def problems(job: AssetImport) -> list[tuple[int, str]]:
    return [(row["row"], error["field"]) for row in job.preview for error in row["errors"]]


@pytest.fixture
def coordinator(make_user):
    return make_user(Role.COORDINATOR)


def test_a_good_csv_is_previewed_then_imported_as_published_assets_with_their_areas(
    swansea, coordinator
):
    job = start(coordinator, GOOD_CSV)
    assert job.state == ImportStatus.READY
    assert job.progress == 100
    assert [(r["row"], r["name"], r["category"]) for r in job.preview] == [
        (2, "Townhill Community Centre", "community-centre"),
        (3, "Mayhill Library", "library"),
        (4, "Language Café", "language-cafe"),
    ]
    assert all(not r["errors"] and not r["duplicates"] for r in job.preview)
    assert not Asset.objects.exists()  # the check writes nothing

    job = import_commit(job_id=job.pk, skip_duplicates=True)
    assert (job.state, job.imported_count, job.progress) == (ImportStatus.DONE, 3, 100)
    assert job.finished_at is not None
    assets = {asset.name: asset for asset in Asset.objects.select_related("areas__lsoa")}
    assert {a.status for a in assets.values()} == {AssetStatus.PUBLISHED}
    assert {a.source for a in assets.values()} == {AssetSource.IMPORT}
    assert {a.recorded_by for a in assets.values()} == {coordinator}
    assert all(len(a.area_ids) == 3 for a in assets.values())
    library = assets["Mayhill Library"]
    assert (library.cost, library.languages) == ("low", ["cy"])
    assert library.welcoming_to == ["sanctuary", "families"]
    assert library.website == "https://www.example.org"
    assert assets["Townhill Community Centre"].languages == ["cy", "ar"]


def test_rows_with_problems_make_the_job_invalid_and_nothing_is_imported(coordinator):
    job = start(
        coordinator,
        csv_file(
            f"Bad latitude,library,north,{TOWNHILL[1]}",
            f"Fine,library,{MAYHILL[0]},{MAYHILL[1]}",
            f"In Bristol,Bowling alley,{BRISTOL[0]},{BRISTOL[1]}",
            f"Also fine,library,{CWMBWRLA[0]},{CWMBWRLA[1]}",
            header="name,category,latitude,longitude",
        ),
    )
    assert job.state == ImportStatus.INVALID
    assert problems(job) == [(2, "latitude"), (4, "category"), (4, "location")]
    messages = [error["message"] for row in job.preview for error in row["errors"]]
    assert messages[0] == "must be a number between -90 and 90, not “north”"
    assert "“Bowling alley”" in messages[1] and "default category" in messages[1]
    assert "outside Wales" in messages[2]
    assert import_commit(job_id=job.pk, skip_duplicates=False).state == ImportStatus.INVALID
    assert not Asset.objects.exists()


@pytest.mark.parametrize(
    ("row", "field", "says"),
    [
        (",library,,,,,,", "name", "is empty"),
        (f"{'x' * 201},library,,,,,,", "name", "longer than 200"),
        ("A,,,,,,,", "category", "no category matches;"),
        (f"A,library,{TOWNHILL[0]},,,,,", "longitude", "give both latitude and longitude"),
        ("A,library,91,-3.9,,,,", "latitude", "between -90 and 90"),
        ("A,library,51.6,-181,,,,", "longitude", "between -180 and 180"),
        ("A,library,,,cheap,,,", "cost", "must be free, low or paid, not “cheap”"),
        ("A,library,,,,cy;Klingon,,", "languages", "“Klingon”: not a language we list"),
        ("A,library,,,,Kurdish,,", "languages", "“Kurdish”: not a language we list"),
        ("A,library,,,,,pirates,", "welcoming_to", "“pirates”: not one we list"),
        ("A,library,,,,,,not a web address", "website", "Enter a valid URL"),
        (f"A,skills,{TOWNHILL[0]},{TOWNHILL[1]},,,,", "location", "no place on the map"),
    ],
)
def test_each_problem_names_its_row_field_and_why(coordinator, row, field, says):
    job = start(coordinator, csv_file(row))
    assert job.state == ImportStatus.INVALID
    [error] = job.preview[0]["errors"]
    assert (job.preview[0]["row"], error["field"]) == (2, field)
    assert says in error["message"]


def test_values_are_matched_without_regard_to_case_and_with_either_separator(coordinator):
    job = start(
        coordinator,
        csv_file(
            "Hub,LIBRARY,,,LOW COST,farsi; BSL,Social housing tenants,https://hub.example",
            header="Name,Category,Latitude,Longitude,Cost,Languages,Welcoming To,Website",
        ),
    )
    assert job.state == ImportStatus.READY
    asset = import_commit(job_id=job.pk, skip_duplicates=False) and Asset.objects.get()
    assert (asset.category.slug, asset.cost) == ("library", "low")
    assert (asset.languages, asset.welcoming_to) == (["fa", "bsl"], ["tenants"])


def test_a_failure_midway_rolls_everything_back_and_fails_the_job(
    swansea, coordinator, monkeypatch
):
    job = start(coordinator, GOOD_CSV)
    calls = []

    def create_then_fail(**kwargs):
        calls.append(kwargs["fields"]["name"])
        if len(calls) == 2:
            raise ValidationError("The database said no.")
        return imports_asset_create(**kwargs)

    imports_asset_create = import_run.asset_create
    monkeypatch.setattr(import_run, "asset_create", create_then_fail)
    job = import_commit(job_id=job.pk, skip_duplicates=False)
    assert job.state == ImportStatus.FAILED
    assert job.message == "Row 3: The database said no. Nothing was imported."
    assert not Asset.objects.exists()
    assert import_commit(job_id=job.pk, skip_duplicates=False).state == ImportStatus.FAILED


def test_an_unexpected_error_while_importing_in_the_request_fails_the_job(coordinator, monkeypatch):
    job = start(coordinator, GOOD_CSV)
    created = []

    def create_then_crash(**kwargs):
        if created:
            raise RuntimeError("connection reset")
        created.append(imports_asset_create(**kwargs))

    imports_asset_create = import_run.asset_create
    monkeypatch.setattr(import_run, "asset_create", create_then_crash)
    assert import_confirm(job_id=job.pk, skip_duplicates=False) is False
    job.refresh_from_db()
    assert job.state == ImportStatus.FAILED
    assert job.message.startswith("Something went wrong on our side")
    assert not Asset.objects.exists()


def test_a_likely_duplicate_is_flagged_and_skipped_when_asked(coordinator):
    existing = AssetFactory(name="Townhill Community Centre")
    job = start(
        coordinator,
        csv_file(
            f"Townhill community centre.,community-centre,{TOWNHILL[0]},{TOWNHILL[1]}",
            f"Mayhill Library,library,{MAYHILL[0]},{MAYHILL[1]}",
            f"Mayhill library,library,{MAYHILL[0]},{MAYHILL[1] + 0.001}",
            f"Mayhill Library,library,{CWMBWRLA[0]},{CWMBWRLA[1]}",  # same name, far away
            header="name,category,latitude,longitude",
        ),
    )
    assert job.state == ImportStatus.READY
    assert [row["duplicates"] for row in job.preview] == [
        [{"id": existing.pk, "name": "Townhill Community Centre"}],
        [],
        [{"id": None, "row": 3, "name": "Mayhill Library"}],
        [],
    ]
    job = import_commit(job_id=job.pk, skip_duplicates=True)
    assert job.imported_count == 2
    imported = Asset.objects.filter(source=AssetSource.IMPORT)
    assert sorted(imported.values_list("latitude", flat=True)) == [MAYHILL[0], CWMBWRLA[0]]


def test_a_skill_without_a_place_is_a_duplicate_of_a_similar_one_in_its_category(coordinator):
    skills = AssetCategory.objects.get(slug="skills")
    AssetFactory(name="Bike repair", category=skills, geometry=None, latitude=None, longitude=None)
    rows = ["Bike repairs,skills", "Bike repairs,time-to-give"]
    job = start(coordinator, csv_file(*rows, header="name,category"))
    assert [bool(row["duplicates"]) for row in job.preview] == [True, False]


def test_committing_twice_imports_once(coordinator):
    job = start(coordinator, GOOD_CSV)
    first = import_commit(job_id=job.pk, skip_duplicates=False)
    second = import_commit(job_id=job.pk, skip_duplicates=False)
    assert (first.state, second.state) == (ImportStatus.DONE, ImportStatus.DONE)
    assert second.imported_count == 3
    assert Asset.objects.count() == 3
    assert import_confirm(job_id=job.pk, skip_duplicates=False) is False
    assert Asset.objects.count() == 3


def test_a_geojson_feature_collection_imports_points_and_shapes(swansea, coordinator):
    square = [
        [-3.952, 51.630], [-3.950, 51.630], [-3.950, 51.631], [-3.952, 51.631], [-3.952, 51.630],
    ]  # fmt: skip
    collection = {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": [MAYHILL[1], MAYHILL[0]]},
                "properties": {
                    "Name": "Mayhill Library",
                    "category": "library",
                    "languages": ["cy", "Arabic"],
                },
            },
            {
                "type": "Feature",
                "geometry": {"type": "Polygon", "coordinates": [square]},
                "properties": {"name": "Townhill Park", "category": "Green space and parks"},
            },
        ],
    }
    job = start(coordinator, json.dumps(collection), format=ImportFormat.GEOJSON)
    assert job.state == ImportStatus.READY
    assert import_commit(job_id=job.pk, skip_duplicates=True).imported_count == 2
    park = Asset.objects.get(name="Townhill Park")
    assert park.geometry["type"] == "Polygon"
    assert 51.630 < park.latitude < 51.631 and park.areas.lsoa_id is not None
    assert Asset.objects.get(name="Mayhill Library").languages == ["cy", "ar"]


def test_a_geojson_feature_outside_wales_or_of_another_kind_is_a_problem(coordinator):
    collection = {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": [-2.59, 51.45]},
                "properties": {"name": "Bristol", "category": "library"},
            },
            {
                "type": "Feature",
                "geometry": {"type": "MultiPoint", "coordinates": [[-3.9, 51.6]]},
                "properties": {"name": "Two places", "category": "library"},
            },
            "not a feature",
        ],
    }
    job = start(coordinator, json.dumps(collection), format=ImportFormat.GEOJSON)
    assert problems(job) == [(1, "location"), (2, "location"), (3, "feature")]


def oruk_service(**changes) -> dict:
    """The standard's full example service, moved to Townhill."""
    service = json.loads((OPENREFERRAL / "examples" / "service_full.json").read_text())
    location = service["service_at_locations"][0]["location"]
    location["latitude"], location["longitude"] = TOWNHILL
    service.update(changes)
    return service


def test_an_open_referral_service_imports_with_the_default_category(swansea, coordinator):
    job = start(coordinator, json.dumps([oruk_service()]), format="openreferral", default="advice")
    assert job.state == ImportStatus.READY
    assert job.preview[0]["category_default"] is True
    import_commit(job_id=job.pk, skip_duplicates=True)
    asset = Asset.objects.get()
    assert (asset.name, asset.category.slug) == ("Community Counselling", "advice")
    assert asset.website == "http://example.com/counselling"
    assert (asset.address, asset.postcode) == ("1-30 Main Street, MyCity", "ABC 1234")
    assert asset.contact == "email@example.com"
    assert asset.cost == "paid"  # its one cost option has an amount
    assert asset.opening_times.startswith("The service is available from 10 am to 6pm")
    assert asset.areas.lsoa_id is not None
    assert asset.accessibility.startswith("The building is equipped with induction loops")


def test_an_open_referral_service_without_a_matching_category_needs_the_default(coordinator):
    job = start(coordinator, json.dumps(oruk_service()), format=ImportFormat.OPENREFERRAL)
    assert job.state == ImportStatus.INVALID
    [error] = job.preview[0]["errors"]
    assert error["field"] == "category"
    assert error["message"].startswith("no category matches")
    assert "choose a default category on the upload page" in error["message"]


def test_open_referral_taxonomy_terms_that_match_ours_choose_the_category(coordinator):
    service = oruk_service(languages=[{"code": "cy"}, {"name": "Arabic"}, {"id": "x"}])
    service["attributes"][0]["taxonomy_term"].update(name="Food support", term="Food support")
    job = start(coordinator, json.dumps({"services": [service]}), format="openreferral")
    assert job.preview[0]["category"] == "food-support"
    import_commit(job_id=job.pk, skip_duplicates=True)
    assert Asset.objects.get().languages == ["cy", "ar"]


def test_an_open_referral_package_with_separate_locations_imports(coordinator):
    service = oruk_service()
    location = service.pop("service_at_locations")[0]["location"]
    package = {
        "services": [service],
        "locations": [location],
        "service_at_locations": [{"service_id": service["id"], "location_id": location["id"]}],
    }
    job = start(coordinator, json.dumps(package), format="openreferral", default="advice")
    assert (job.preview[0]["latitude"], job.preview[0]["longitude"]) == TOWNHILL


EXPORTED_FIELDS = [
    "name", "category_id", "description", "website", "contact", "opening_times", "cost",
    "languages", "welcoming_to", "accessibility", "address", "postcode", "latitude", "longitude",
]  # fmt: skip


def test_our_own_open_referral_export_imports_back_as_it_was(coordinator):
    hub = AssetFactory(
        name="Hill Road Hub",
        description="Tea and talk.",
        website="https://hub.example",
        contact="Ring 01792 000000",
        opening_times="Tuesdays, 10 till 12",
        cost="low",
        languages=["cy", "ar"],
        welcoming_to=["tenants", "women"],
        accessibility="Step-free entrance",
        address="1 Hill Road",
        postcode="SA1 6AA",
    )
    skill = AssetFactory(
        name="Bike repair",
        category=AssetCategory.objects.get(slug="skills"),
        geometry=None,
        latitude=None,
        longitude=None,
        publish_consent=True,
    )
    exported = export_openreferral(assets=exportable_assets())
    job = start(coordinator, json.dumps(exported), format=ImportFormat.OPENREFERRAL)
    assert job.state == ImportStatus.READY
    assert [row["duplicates"][0]["id"] for row in job.preview] == [skill.pk, hub.pk]
    import_commit(job_id=job.pk, skip_duplicates=False)
    for original in (hub, skill):
        copy = Asset.objects.get(name=original.name, source=AssetSource.IMPORT)
        assert [getattr(copy, f) for f in EXPORTED_FIELDS] == [
            getattr(original, f) for f in EXPORTED_FIELDS
        ]


def test_malformed_parts_of_an_open_referral_file_are_problems_not_crashes(coordinator):
    services = [
        {"name": "Odd", "id": [1], "languages": 5, "service_at_locations": "here",
         "attributes": [{"taxonomy_term_id": {}}], "cost_options": [{"amount": True}]},
        {"name": "No id"},
        "not a service",
    ]  # fmt: skip
    package = {
        "services": services,
        "service_at_locations": [{"location_id": "L1"}],  # no service_id: links nothing
        "locations": [{"id": "L1", "latitude": BRISTOL[0], "longitude": BRISTOL[1]}],
    }
    job = start(coordinator, json.dumps(package), format="openreferral", default="advice")
    assert problems(job) == [(3, "service")]
    assert [row["latitude"] for row in job.preview] == [None, None, None]


@pytest.mark.parametrize(
    ("content", "format", "says"),
    [
        ("city,town\nCardiff,Caerdydd\n", ImportFormat.CSV, "must be “name”"),
        ("name,category\n", ImportFormat.CSV, "no assets in it"),
        ('{"type": "Feature', ImportFormat.GEOJSON, "not valid JSON"),
        ('{"type": "Point", "coordinates": [0, 0]}', ImportFormat.GEOJSON, "FeatureCollection"),
        ('{"hello": "world"}', ImportFormat.OPENREFERRAL, "not Open Referral UK"),
    ],
)
def test_a_file_that_cannot_be_read_creates_no_job(coordinator, content, format, says):
    with pytest.raises(ValidationError) as error:
        start(coordinator, content, format=format)
    assert says in error.value.messages[0]
    assert not AssetImport.objects.exists()


def test_a_large_file_is_queued_for_the_worker(coordinator, django_capture_on_commit_callbacks):
    rows = [f"Place {n},library,,,,,," for n in range(imports.IN_REQUEST_ROWS + 1)]
    with django_capture_on_commit_callbacks(execute=False) as queued:
        job = start(coordinator, csv_file(*rows))
    assert (job.state, job.total_rows, len(queued)) == (ImportStatus.CHECKING, 201, 1)
    queued[0]()  # Celery runs eagerly in tests: the check runs now
    job.refresh_from_db()
    assert job.state == ImportStatus.READY
    assert len(job.preview) == 201


def test_the_check_task_marks_the_job_failed_on_an_unexpected_error(coordinator, monkeypatch):
    job = AssetImport.objects.create(
        requested_by=coordinator, file_name="a.csv", format="csv", content=GOOD_CSV, total_rows=3
    )
    monkeypatch.setattr(import_run, "_rows_check", lambda *args: 1 / 0)
    with pytest.raises(ZeroDivisionError):
        import_check_task(job.pk)
    job.refresh_from_db()
    assert job.state == ImportStatus.FAILED
    assert job.message == (
        "Something went wrong on our side while handling the file. Try again in a minute."
    )


def test_trying_again_checks_the_file_again_with_its_default_category(coordinator, monkeypatch):
    with monkeypatch.context() as patch:
        patch.setattr(import_run, "_rows_check", lambda *args: 1 / 0)
        job = start(
            coordinator, csv_file("Hub,", header="name,category"), default="community-centre"
        )
    assert job.state == ImportStatus.FAILED
    import_retry(job_id=job.pk)
    job.refresh_from_db()
    assert job.state == ImportStatus.READY
    assert (job.preview[0]["category"], job.preview[0]["category_default"]) == (
        "community-centre",
        True,
    )
    import_retry(job_id=job.pk)  # only a failed job starts again
    job.refresh_from_db()
    assert job.state == ImportStatus.READY


# --- Pages (need the import URLs included in assets/urls.py) ----------------------------------


def url(name: str, **kwargs) -> str:
    with translation.override("en"):
        return reverse(name, kwargs=kwargs or None)


def text_of(response) -> str:
    return html.unescape(response.content.decode())


def upload(client, content: bytes, name: str = "assets.csv", **data):
    file = SimpleUploadedFile(name, content, content_type="text/csv")
    return client.post(url("assets:asset-import-new"), {"file": file, **data})


def test_a_coordinator_uploads_checks_and_confirms_a_file(swansea, coordinator_client):
    page = text_of(coordinator_client.get(url("assets:asset-import-new")))
    assert "<title>Import assets from a file" in page and 'type="file"' in page
    response = upload(coordinator_client, "\ufeff".encode() + GOOD_CSV.encode())
    job = AssetImport.objects.get()
    assert response.status_code == 302
    assert response["Location"] == url("assets:asset-import", pk=job.pk)
    preview = text_of(coordinator_client.get(response["Location"]))
    assert "<caption" in preview and "What will be imported" in preview
    assert "Mayhill Library" in preview and "Library" in preview
    assert 'name="skip_duplicates"' in preview and "checked" in preview
    assert 'http-equiv="refresh"' not in preview
    confirmed = coordinator_client.post(
        url("assets:asset-import-confirm", pk=job.pk), {"skip_duplicates": "on"}
    )
    assert confirmed["Location"] == url("assets:asset-import", pk=job.pk)
    done = text_of(coordinator_client.get(confirmed["Location"]))
    assert "3 assets imported" in done
    assert Asset.objects.filter(status=AssetStatus.PUBLISHED).count() == 3


def test_the_job_page_lists_every_problem_with_its_row_and_field(coordinator_client):
    rows = ["A,library,north,-3.9", "B,library,,", "C,nowhere,,"]
    upload(coordinator_client, csv_file(*rows, header="name,category,latitude,longitude").encode())
    page = coordinator_client.get(url("assets:asset-import", pk=AssetImport.objects.get().pk))
    text = text_of(page)
    assert "<title>Error:" in text
    assert "Row 2, latitude: must be a number between -90 and 90, not “north”" in text
    assert "Row 4, category: no category matches “nowhere”" in text
    assert "Nothing has been imported" in text
    assert not Asset.objects.exists()


def test_the_job_page_shows_progress_while_the_worker_checks(coordinator_client, coordinator):
    job = AssetImport.objects.create(
        requested_by=coordinator,
        file_name="big.csv",
        format="csv",
        content=GOOD_CSV,
        total_rows=3000,
        progress=35,
    )
    text = text_of(coordinator_client.get(url("assets:asset-import", pk=job.pk)))
    assert '<meta http-equiv="refresh" content="2">' in text
    assert '<progress id="import-progress"' in text and 'value="35"' in text
    assert "35% done" in text and "Checking 3000 rows" in text


def test_a_failed_job_offers_to_try_again(coordinator_client, coordinator):
    job = AssetImport.objects.create(
        requested_by=coordinator,
        file_name="a.csv",
        format="csv",
        content=GOOD_CSV,
        total_rows=3,
        status=JobStatus.FAILED,
        message="The worker stopped.",
    )
    text = text_of(coordinator_client.get(url("assets:asset-import", pk=job.pk)))
    assert "The worker stopped." in text and "Try again" in text
    response = coordinator_client.post(url("assets:asset-import-retry", pk=job.pk))
    assert response["Location"] == url("assets:asset-import", pk=job.pk)
    job.refresh_from_db()
    assert job.state == ImportStatus.READY


@pytest.mark.parametrize(
    ("content", "name", "says"),
    [
        (b"name\n" + b"x" * (5 * 1024 * 1024), "big.csv", "larger than 5 MB"),
        ("name\nCaffi’r Bont\n".encode("cp1252"), "old.csv", "not saved as UTF-8"),
        ("name\nHub\n".encode("utf-16"), "utf16.csv", "not saved as UTF-8"),
        (b"", "empty.csv", "The file is empty"),
        (b"  \n", "blank.csv", "The file is empty"),
        (b"name\nHub\n", "assets.xlsx", "spreadsheet file"),
        (b"name\nHub\n", "assets.txt", "cannot tell the file's format"),
        (b"name,category\n", "header-only.csv", "no assets in it"),
    ],
)
def test_an_unusable_upload_says_why_and_creates_nothing(coordinator_client, content, name, says):
    response = upload(coordinator_client, content, name)
    assert response.status_code == 200
    text = text_of(response)
    assert says in text
    assert "govuk-error-summary" in text and "<title>Error:" in text
    assert not AssetImport.objects.exists()


def test_choosing_no_file_asks_for_one(coordinator_client):
    response = coordinator_client.post(url("assets:asset-import-new"), {})
    assert "Choose a file to import" in text_of(response)


def test_the_chosen_format_wins_over_the_file_name(coordinator_client):
    feature = {
        "type": "Feature",
        "geometry": None,
        "properties": {"name": "Hub", "category": "library"},
    }
    collection = {"type": "FeatureCollection", "features": [feature]}
    upload(coordinator_client, json.dumps(collection).encode(), "export.txt", format="geojson")
    assert AssetImport.objects.get().state == ImportStatus.READY


def test_the_job_page_pins_its_queries(
    coordinator_client, coordinator, django_assert_max_num_queries
):
    rows = [f"Place {n},library,,,,,," for n in range(150)]
    job = start(coordinator, csv_file(*rows))
    with django_assert_max_num_queries(7):
        assert coordinator_client.get(url("assets:asset-import", pk=job.pk)).status_code == 200


@pytest.mark.parametrize("name", ["assets:asset-import-confirm", "assets:asset-import-retry"])
def test_confirm_and_try_again_are_post_only(coordinator_client, coordinator, name):
    job = start(coordinator, GOOD_CSV)
    assert coordinator_client.get(url(name, pk=job.pk)).status_code == 405
    assert not Asset.objects.exists()


def test_participants_may_not_import(participant_client, coordinator):
    job = start(coordinator, GOOD_CSV)
    assert participant_client.get(url("assets:asset-import-new")).status_code == 403
    assert participant_client.get(url("assets:asset-import", pk=job.pk)).status_code == 403
    assert participant_client.post(url("assets:asset-import-confirm", pk=job.pk)).status_code == 403
    assert not Asset.objects.exists()


def test_anonymous_visitors_are_sent_to_sign_in(client):
    response = client.get(url("assets:asset-import-new"))
    assert response.status_code == 302
    assert response["Location"].startswith("/en/sign-in/")


def test_a_coordinator_sees_another_coordinators_job(client_as, coordinator):
    job = start(coordinator, GOOD_CSV)
    other = client_as(Role.COORDINATOR)
    assert other.get(url("assets:asset-import", pk=job.pk)).status_code == 200
    assert other.get(url("assets:asset-import", pk=job.pk + 1000)).status_code == 404
