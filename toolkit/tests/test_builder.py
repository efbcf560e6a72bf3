"""The toolkit's PDFs and data bundle, opened and read as their users would: the guidance and
every shareable asset in both languages, a QR code per entry for its own page, the data files
the README lists, the same bytes for the same data, and nobody's name or code anywhere."""

import csv
import io
import json
import re
import zipfile

import pytest
from pypdf import PdfReader

from assets.models import AssetCategory, AssetStatus, Domain
from assets.tests.factories import AssetFactory
from assets.tests.test_exports import TABLE_SCHEMAS, _schema_for, _validator
from core.tests.factories import default_site
from participants.models import PersonalDetails
from participants.tests.factories import ParticipantFactory
from toolkit.builder import (
    bundle_files,
    bundle_zip,
    programme_scope,
    qr_png,
    toolkit_html,
    toolkit_pdf,
)
from workshops.models import Action, Barrier

pytestmark = pytest.mark.django_db
BASE = "https://cymuned.example"


@pytest.fixture
def data():
    library = AssetFactory(name="Townhill Library", name_cy="Llyfrgell Townhill", cost="free")
    AssetFactory(name="Language Café", category=AssetCategory.objects.get(slug="language-cafe"))
    AssetFactory(name="Not Yet Checked", status=AssetStatus.SUBMITTED)
    skills = AssetCategory.objects.get(slug="skills")
    AssetFactory(name="Secret Sewing Skill", category=skills, domain=Domain.INDIVIDUAL,
                 geometry=None, latitude=None, longitude=None, publish_consent=False)  # fmt: skip
    AssetFactory(name="Shared Bike Repair", category=skills, domain=Domain.INDIVIDUAL,
                 geometry=None, latitude=None, longitude=None, publish_consent=True)  # fmt: skip
    person = ParticipantFactory(code="P-042", display_name="Amira")
    PersonalDetails.objects.create(
        participant=person, full_name="Amira Haddad", phone="07700 900123"
    )
    site = default_site()
    barrier = Barrier.objects.create(
        title="Bus fares too high", kind="cost", affects="both", site=site
    )
    action = Action.objects.create(title="Ask for a bus pass scheme", owner="Gwen Morgan",
                                   outcome="Agreed for a trial", site=site)  # fmt: skip
    action.barriers.set([barrier])
    return {"library": library}


def pdf_text(pdf: bytes) -> str:
    return re.sub(
        r"\s+", " ", " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    )


@pytest.fixture
def built(data):
    scope = programme_scope(base_url=BASE)
    html = {language: toolkit_html(scope, language=language) for language in ("en", "cy")}
    pdfs = {language: toolkit_pdf(page) for language, page in html.items()}
    return {"scope": scope, "html": html, "pdfs": pdfs, "files": bundle_files(scope, pdfs)}


def test_each_pdf_holds_the_guidance_and_every_shareable_asset_in_its_language(built):
    english, welsh = pdf_text(built["pdfs"]["en"]), pdf_text(built["pdfs"]["cy"])
    assert "Engaging people seeking sanctuary and social housing tenants" in english
    assert "Ymgysylltu â phobl sy'n ceisio noddfa a thenantiaid tai cymdeithasol" in welsh
    assert "Townhill Library" in english and "Llyfrgell Townhill" in welsh
    for text in (english, welsh):
        assert "Language Café" in text and "Shared Bike Repair" in text
        assert "Not Yet Checked" not in text and "Secret Sewing Skill" not in text
        assert "Bus fares too high" in text and "Agreed for a trial" in text


def test_each_directory_entry_carries_the_qr_code_of_its_own_page(built, data):
    library = data["library"]
    for language in ("en", "cy"):
        url = f"{BASE}/{language}/assets/{library.pk}/"
        entry = built["html"][language].split(
            library.display_name if language == "en" else "Llyfrgell Townhill"
        )[0]
        assert f'src="{qr_png(url)}"' in entry.rsplit('<div class="entry">', 1)[1]
    assert len(PdfReader(io.BytesIO(built["pdfs"]["en"])).pages) > 5
    pages = PdfReader(io.BytesIO(built["pdfs"]["en"])).pages
    images = {image.data for page in pages for image in page.images}
    assert len(images) == 3  # the library, the café and the shared skill


def test_the_bundle_has_every_file_its_readme_lists_and_the_open_referral_data_validates(built):
    files = built["files"]
    readme = files["README.md"].decode()
    for name in files:
        if name != "README.md":
            assert name.split(",")[0] in readme, name
    assert "Open Government Licence" in readme and "CC BY-SA" in readme and "SWEMWBS" in readme
    rows = list(csv.DictReader(io.StringIO(files["assets.csv"].decode())))
    assert sorted(row["name"] for row in rows) == [
        "Language Café",
        "Shared Bike Repair",
        "Townhill Library",
    ]
    output = json.loads(files["assets-openreferral.json"])
    for table, items in output.items():
        validator = _validator(_schema_for(table))
        assert not [error.message for item in items for error in validator.iter_errors(item)], table
    assert set(output) == set(TABLE_SCHEMAS)
    with zipfile.ZipFile(io.BytesIO(bundle_zip(files))) as archive:
        assert sorted(archive.namelist()) == sorted(files)


def test_the_same_data_gives_the_same_data_files_and_the_same_pdf_text(built):
    again = bundle_files(built["scope"], built["pdfs"])
    for name, content in built["files"].items():
        if not name.endswith(".xlsx"):  # XLSX carries its own creation time
            assert again[name] == content, name
    scope = programme_scope(base_url=BASE)
    assert pdf_text(toolkit_pdf(toolkit_html(scope, language="en"))) == pdf_text(
        built["pdfs"]["en"]
    )


def test_nobody_is_named_or_coded_anywhere_in_the_toolkit(built):
    texts = [pdf_text(pdf) for pdf in built["pdfs"].values()]
    texts += [
        content.decode("utf-8", "replace")
        for name, content in built["files"].items()
        if not name.endswith((".pdf", ".xlsx"))
    ]
    with zipfile.ZipFile(io.BytesIO(built["files"]["assets.xlsx"])) as workbook:
        texts += [
            workbook.read(name).decode() for name in workbook.namelist() if name.endswith(".xml")
        ]
    for text in texts:
        for personal in ("P-042", "Amira", "Haddad", "07700 900123", "Gwen Morgan"):
            assert personal not in text
