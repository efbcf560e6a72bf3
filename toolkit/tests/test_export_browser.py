"""The toolkit export in a browser, as a coordinator uses it: asked for, watched while the
worker builds it (the page reloads itself, no JavaScript needed), downloaded, and every file
opened and checked against the database — each asset in both languages' directory, each QR
image the code of that asset's page, the Open Referral data valid, and no participant's code
or name anywhere. The pages pass axe and fit a phone, in English and Welsh."""

import io
import json
import re
import zipfile
from unittest import mock

import pytest
import segno
from pypdf import PdfReader

from assets.models import AssetCategory, AssetStatus, Domain
from assets.tests.factories import AssetFactory
from assets.tests.test_exports import TABLE_SCHEMAS, _schema_for, _validator
from core.models import Role
from core.tests.factories import default_site
from participants.models import PersonalDetails
from participants.tests.factories import ParticipantFactory
from toolkit.builder import QR_MASK
from toolkit.models import ToolkitExport
from workshops.models import Action, Barrier

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def data():
    site = default_site()
    AssetFactory(name="Townhill Library", name_cy="Llyfrgell Townhill")
    AssetFactory(name="Language Café", name_cy="Caffi Iaith")
    skills = AssetCategory.objects.get(slug="skills")
    AssetFactory(name="Shared Bike Repair", category=skills, domain=Domain.INDIVIDUAL,
                 geometry=None, latitude=None, longitude=None, publish_consent=True)  # fmt: skip
    AssetFactory(name="Secret Sewing Skill", category=skills, domain=Domain.INDIVIDUAL,
                 geometry=None, latitude=None, longitude=None, publish_consent=False)  # fmt: skip
    AssetFactory(name="Not Yet Checked", status=AssetStatus.SUBMITTED)
    person = ParticipantFactory(code="P-042", display_name="Amira")
    PersonalDetails.objects.create(participant=person, full_name="Amira Haddad", phone="07700")
    barrier = Barrier.objects.create(title="Bus fares", kind="cost", affects="both", site=site)
    action = Action.objects.create(title="Bus pass", owner="Gwen Morgan", site=site)
    action.barriers.set([barrier])


def pdf_text(pdf: bytes) -> str:
    pages = PdfReader(io.BytesIO(pdf)).pages
    return re.sub(r"\s+", " ", " ".join(page.extract_text() for page in pages))


def matrix_of_image(image) -> tuple:
    """The dark/light modules of a QR image as the PDF holds it (one pixel per module)."""
    grey = image.convert("L")
    return tuple(
        tuple(grey.getpixel((x, y)) < 128 for x in range(grey.width)) for y in range(grey.height)
    )


def matrix_of_url(url: str) -> tuple:
    code = segno.make(url, error="m", mask=QR_MASK)  # the export's fixed mask
    return tuple(tuple(bool(cell) for cell in row) for row in code.matrix_iter(border=2))


def qr_matrices(pdf: bytes) -> set:
    return {
        matrix_of_image(image.image)
        for page in PdfReader(io.BytesIO(pdf)).pages
        for image in page.images
    }


def download(page, name: str) -> bytes:
    with page.expect_download() as info:
        page.locator(f"a[href$='/{name}']").click()
    return open(info.value.path(), "rb").read()  # noqa: PTH123, SIM115


def test_a_coordinator_exports_watches_it_and_every_file_matches_the_database(
    new_page, make_user, data, live_server
):
    from tests.browser import sign_in

    coordinator = make_user(Role.COORDINATOR)
    page = new_page()
    sign_in(page, coordinator.username)
    page.goto("/en/toolkit/exports/")
    # The worker is busy: the job waits, and its page says so and reloads itself.
    with mock.patch("toolkit.services._task") as task:
        page.get_by_role("button", name="Build the toolkit now").click()
        page.wait_for_load_state()
    assert task.return_value.apply_async.called
    assert "Waiting for the worker to start" in page.locator("main").inner_text()
    assert page.locator("progress#export-progress").count() == 1
    assert page.locator("meta[http-equiv=refresh]").count() == 1
    job = ToolkitExport.objects.get()
    from toolkit.tasks import toolkit_export_task

    toolkit_export_task.run_here(job.pk)  # the worker takes it
    page.get_by_role("link", name="Toolkit in English (PDF)").wait_for(timeout=15_000)
    assert "Done" in page.locator("main").inner_text()

    files = {name: download(page, name) for name in ToolkitExport.FILES}
    job.refresh_from_db()
    base = job.base_url
    assert base == live_server.url
    shareable = ["Townhill Library", "Language Café", "Shared Bike Repair"]
    english, welsh = pdf_text(files["toolkit-en.pdf"]), pdf_text(files["toolkit-cy.pdf"])
    for name in shareable:
        assert name in english
    for name in ("Llyfrgell Townhill", "Caffi Iaith", "Shared Bike Repair"):
        assert name in welsh
    from assets.models import Asset

    for language, pdf in (("en", files["toolkit-en.pdf"]), ("cy", files["toolkit-cy.pdf"])):
        expected = {
            matrix_of_url(f"{base}/{language}/assets/{asset.pk}/")
            for asset in Asset.objects.shareable().filter(site=default_site())
        }
        assert qr_matrices(pdf) == expected, language

    with zipfile.ZipFile(io.BytesIO(files["toolkit.zip"])) as archive:
        bundle = {name: archive.read(name) for name in archive.namelist()}
    assert bundle["toolkit-en.pdf"] == files["toolkit-en.pdf"]
    output = json.loads(bundle["assets-openreferral.json"])
    assert set(output) == set(TABLE_SCHEMAS)
    for table, items in output.items():
        validator = _validator(_schema_for(table))
        assert not [error.message for item in items for error in validator.iter_errors(item)]
    assert sorted(service["name"] for service in output["services"]) == sorted(shareable)

    texts = [english, welsh, pdf_text(bundle["toolkit-cy.pdf"])]
    texts += [content.decode() for name, content in bundle.items() if name.endswith(
        (".csv", ".json", ".geojson", ".md"))]  # fmt: skip
    with zipfile.ZipFile(io.BytesIO(bundle["assets.xlsx"])) as workbook:
        texts += [workbook.read(name).decode() for name in workbook.namelist()]
    for text in texts:
        for personal in ("P-042", "Amira", "Haddad", "Gwen Morgan", "Secret Sewing Skill"):
            assert personal not in text


@pytest.mark.parametrize("language", ["en", "cy"])
def test_the_export_pages_fit_a_phone_and_pass_axe(new_page, make_user, data, language):
    from tests.browser import PHONE, assert_accessible, assert_fits_width, sign_in

    coordinator = make_user(Role.COORDINATOR)
    page = new_page(PHONE)
    sign_in(page, coordinator.username, language=language)
    page.goto(f"/{language}/toolkit/exports/")
    assert_fits_width(page)
    assert_accessible(page)
    page.locator("main form button").first.click()  # the worker is eager in tests
    page.wait_for_load_state()
    assert page.locator("a[href$='/toolkit.zip']").count() == 1
    assert_fits_width(page)
    assert_accessible(page)
    with mock.patch("toolkit.builder.toolkit_pdf", side_effect=ValueError("boom")):
        page.goto(f"/{language}/toolkit/exports/")
        page.locator("main form button").first.click()
        page.wait_for_load_state()
    assert page.locator(".govuk-error-summary").count() == 1
    assert_fits_width(page)
    assert_accessible(page)
    page.goto(f"/{language}/toolkit/exports/")
    assert_fits_width(page)
    assert_accessible(page)
