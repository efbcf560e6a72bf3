"""The indicators' jobs as their users meet them: a CSV of values imported all or nothing
with every problem listed, the summaries worked out on demand with a progress page and
nightly, and a change on the map reaching its areas' summaries through the outbox."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from assets.models import Area, AreaLevel, AssetStatus
from assets.services.assets import asset_publish
from assets.tests.factories import AssetFactory
from core.changes import changes_drain
from core.models import Role
from indicators.models import AreaSummary, IndicatorImport, IndicatorValue, SummaryRun
from indicators.tasks import area_summaries_nightly

pytestmark = pytest.mark.django_db

HEADER = "indicator,area_code,period,value,lower_ci,upper_ci\n"
IMPORT = "/en/areas/values/import/"


@pytest.fixture
def areas():
    wales = Area.objects.create(code="W92000004", name_en="Wales", level=AreaLevel.COUNTRY)
    county = Area.objects.create(code="W06000011", name_en="Swansea", level="la")
    msoa = Area.objects.create(code="W02000173", name_en="Swansea 021", level="msoa", parent=county)
    lsoa = Area.objects.create(code="W01000800", name_en="Swansea 021A", level="lsoa", parent=msoa)
    return {"wales": wales, "county": county, "msoa": msoa, "lsoa": lsoa}


@pytest.fixture
def post(django_capture_on_commit_callbacks):
    """post(client, url, data): the tests' transaction never commits, so each POST runs what
    it queued on commit as it ends (Celery is eager in tests: the job runs as if a worker took
    it); then the page it leads to is fetched, as a person's browser would."""

    def send(client, url, data=None):
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(url, data or {})
        return client.get(response["Location"]) if response.status_code == 302 else response

    return send


def csv_file(text: str, name: str = "values.csv") -> dict:
    return {"file": SimpleUploadedFile(name, text.encode())}


def test_a_coordinator_imports_a_csv_of_values_and_sees_how_many(post, client_as, areas):
    row = "volunteering,W92000004,2024-25,27.0,25.9,28.1\n"
    text = post(client_as(Role.COORDINATOR), IMPORT, csv_file(HEADER + row)).content.decode()
    assert "Imported" in text and "1 value" in text
    assert IndicatorValue.objects.get(indicator__code="volunteering").value == 27.0
    assert IndicatorImport.objects.get().imported_count == 1


def test_a_file_with_wrong_rows_imports_nothing_and_lists_every_problem(post, client_as, areas):
    rows = "volunteering,W92000004,2024-25,27.0,,\nvolunteering,W99,2024,x,,\n"
    client = client_as(Role.COORDINATOR)
    text = post(client, IMPORT, csv_file(HEADER + rows)).content.decode()
    assert "Nothing has been imported" in text
    assert "Row 3, area_code: no area has the code “W99”" in text
    assert "Row 3, value: “x” is not a number." in text
    assert not IndicatorValue.objects.filter(indicator__code="volunteering").exists()
    assert "2 problems" in client.get(IMPORT).content.decode()


def test_a_spreadsheet_is_refused_with_what_to_do(post, client_as, areas):
    text = post(client_as(Role.COORDINATOR), IMPORT, csv_file("PK", "v.xlsx")).content.decode()
    assert "This is a spreadsheet file. Save it as “CSV UTF-8” and choose that file." in text
    assert not IndicatorImport.objects.exists()


def test_working_out_the_summaries_now_shows_the_run_and_writes_them(post, client_as, areas):
    AssetFactory(lsoa=areas["lsoa"], msoa=areas["msoa"], local_authority=areas["county"])
    client = client_as(Role.EVALUATOR)
    page = post(client, "/en/areas/summaries/").content.decode()
    run = SummaryRun.objects.get()
    assert run.status == "done" and run.requested_by == client.user
    assert "4 areas worked out" in page
    assert AreaSummary.objects.get(area=areas["lsoa"]).assets == 1
    assert "4 areas" in client.get("/en/areas/summaries/").content.decode()


def test_the_nightly_run_is_a_job_no_one_asked_for(areas):
    run = SummaryRun.objects.get(pk=area_summaries_nightly())
    assert (run.status, run.requested_by, run.areas_written) == ("done", None, 4)


def test_publishing_an_asset_reaches_its_areas_summaries_through_the_outbox(areas):
    area_summaries_nightly()
    asset = AssetFactory(
        status=AssetStatus.SUBMITTED,
        lsoa=areas["lsoa"],
        msoa=areas["msoa"],
        local_authority=areas["county"],
    )
    asset_publish(asset=asset, not_a_home=True)
    changes_drain()
    for name in ("lsoa", "msoa", "county", "wales"):
        assert AreaSummary.objects.get(area=areas[name]).assets == 1, name


def test_a_failed_run_can_be_tried_again(post, client_as, areas):
    client = client_as(Role.COORDINATOR)
    run = SummaryRun.objects.create(
        requested_by=client.user, status="failed", message="The worker stopped."
    )
    assert "The worker stopped." in client.get(f"/en/areas/summaries/{run.pk}/").content.decode()
    post(client, f"/en/areas/summaries/{run.pk}/retry/")
    run.refresh_from_db()
    assert (run.status, run.areas_written) == ("done", 4)


@pytest.mark.parametrize("role", [None, Role.PARTICIPANT, Role.FACILITATOR, Role.PARTNER])
def test_only_coordinators_and_evaluators_work_out_the_summaries(post, client_as, areas, role):
    post(client_as(role), "/en/areas/summaries/")
    assert not SummaryRun.objects.exists()


@pytest.mark.parametrize(
    "role", [None, Role.PARTICIPANT, Role.FACILITATOR, Role.EVALUATOR, Role.PARTNER]
)
def test_only_coordinators_import_values(post, client_as, areas, role):
    post(client_as(role), IMPORT, csv_file(HEADER + "volunteering,W92000004,2024-25,27.0,,\n"))
    assert not IndicatorValue.objects.filter(indicator__code="volunteering").exists()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.parametrize("language", ["en", "cy"])
def test_the_job_pages_work_on_a_phone_and_pass_axe(new_page, make_user, areas, language):
    from tests.browser import PHONE, assert_accessible, assert_fits_width, sign_in

    coordinator = make_user(Role.COORDINATOR)
    page = new_page(PHONE)
    sign_in(page, coordinator.username, language=language)
    for path in ("areas/summaries/", "areas/values/import/"):
        page.goto(f"/{language}/{path}")
        assert_fits_width(page)
        assert_accessible(page)
    page.goto(f"/{language}/areas/summaries/")
    page.locator("main form button").first.click()
    page.wait_for_load_state()
    assert page.locator(".govuk-panel__title").inner_text() in ("Done", "Wedi'i wneud")
    assert_accessible(page)
