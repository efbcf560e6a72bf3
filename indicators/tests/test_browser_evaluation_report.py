"""An evaluator opens an MSOA's profile and the evaluation report, downloads the XLSX and the
PDF, and both hold the values the page shows, with no count of 1 to 4 people anywhere. The
page passes axe and fits a phone, in English and Welsh."""

import io
from importlib import import_module
from pathlib import Path

import pytest
from django.apps import apps
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook
from pypdf import PdfReader

from core.models import Role
from indicators.tests.test_evaluation_report import swemwbs
from participants.tests.test_networks import contact, name, taking_part
from tests.browser import DESKTOP, PHONE, assert_accessible, assert_fits_width, screenshot, sign_in

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]
PEOPLE_COLUMNS = {"People", "People with baseline and follow-up", "People with network answers"}


def people_taking_part():
    """Twelve tenants with SWEMWBS at baseline and follow-up and ties among them; three
    people seeking sanctuary at baseline only (a count an evaluator sees as "<5")."""
    tenants = [taking_part(cohort="tenant") for _ in range(12)]
    refugees = [taking_part(cohort="refugee") for _ in range(3)]
    for number, tenant in enumerate(tenants):
        swemwbs(tenant, 3)
        swemwbs(tenant, 4 if number % 3 else 3, time_point="follow_up")
        neighbour = tenants[(number + 1) % len(tenants)]
        name(tenant, contact("tenant", alter=neighbour), contact("sanctuary", alter=refugees[0]))
    for refugee in refugees:
        swemwbs(refugee, 2)
    # The flush between browser tests takes the roles' permissions too: grant them again.
    import_module("participants.migrations.0005_role_permissions").grant(apps, None)


def an_msoa_with_volunteering():
    """An MSOA of Swansea whose volunteering (80 of 200, illustrative) is above Wales's."""
    from assets.models import Area, AreaLevel
    from indicators.models import Indicator, IndicatorValue

    import_module("indicators.migrations.0002_seed_indicators").seed(apps, None)
    wales = Area.objects.create(code="W92000004", name_en="Wales", level=AreaLevel.COUNTRY)
    county = Area.objects.create(
        code="W06000011", name_en="Swansea", level=AreaLevel.LOCAL_AUTHORITY, parent=wales
    )
    msoa = Area.objects.create(
        code="W02000171", name_en="Swansea 021", level=AreaLevel.MSOA, parent=county
    )
    volunteering = Indicator.objects.get(code="volunteering")
    for area, number, fields in [
        (wales, 27.0, {}),
        (msoa, 40.0, {"numerator": 80, "denominator": 200}),
    ]:
        IndicatorValue.objects.create(
            indicator=volunteering,
            area=area,
            period="2024-25",
            value=number,
            illustrative=True,
            **fields,
        )
    return msoa


def table_rows(page, slug: str) -> list[list[str]]:
    return page.eval_on_selector_all(
        f"#{slug} tbody tr",
        "rows => rows.map(r => Array.from(r.children).map(c => c.innerText.trim()))",
    )


def download(page, extension: str) -> bytes:
    with page.expect_download() as info:
        page.locator(f"a[href$='report.{extension}']").click()
    return Path(info.value.path()).read_bytes()


def text_of(value) -> str:
    return "–" if value is None else str(value)


def test_an_evaluator_downloads_the_report_and_the_files_hold_what_the_page_shows(
    new_page, make_user
):
    people_taking_part()
    msoa = an_msoa_with_volunteering()
    evaluator = make_user(Role.EVALUATOR)
    page = new_page(DESKTOP)
    sign_in(page, evaluator.username)
    page.goto(f"/en/areas/{msoa.code}/")
    assert page.locator("h1").inner_text().startswith("Swansea 021")
    profile = page.locator("main").inner_text()
    assert "40.0%" in profile and "33.5% to 46.9%" in profile
    assert "Better than the comparator" in profile and "illustrative" in profile
    page.goto(reverse("indicators:evaluation-report"))
    assert page.locator("h1").inner_text() == "Evaluation report"
    shown = table_rows(page, "scores-swemwbs")
    # 12 tenants and 3 people seeking sanctuary: "<5", so the tenants' count is withheld.
    assert shown[0][1:] == ["Baseline", "Tenants", "withheld", "19.2"]
    assert shown[1][3] == "<5"
    change = table_rows(page, "change-swemwbs")
    screenshot(page, "evaluation-report-desktop")

    book = load_workbook(io.BytesIO(download(page, "xlsx")))
    sheet = [
        [text_of(v) for v in row]
        for row in book["scores-swemwbs"].iter_rows(min_row=3, values_only=True)
    ]  # noqa: E501
    assert sheet == shown
    changes = [
        [text_of(v) for v in row]
        for row in book["change-swemwbs"].iter_rows(min_row=3, values_only=True)
    ]  # noqa: E501
    assert changes == change
    for worksheet in book.worksheets[:-1]:
        header = [cell.value for cell in next(worksheet.iter_rows(min_row=2, max_row=2))]
        for column, title in enumerate(header):
            if title in PEOPLE_COLUMNS:
                for row in worksheet.iter_rows(min_row=3, values_only=True):
                    assert row[column] not in (1, 2, 3, 4), (worksheet.title, row)
    assert "SWEMWBS © NHS Health Scotland" in str(book["Notes"]["B8"].value)

    pdf = PdfReader(io.BytesIO(download(page, "pdf")))
    text = " ".join(" ".join(p.extract_text() for p in pdf.pages).split())
    for value in {cell for row in shown + change for cell in row[3:] if cell not in ("–", "")}:
        assert value in text, value
    assert "SWEMWBS © NHS Health Scotland" in text and "<5" in text
    # The PDF renders the same disclosure-controlled report as the XLSX checked above.


@pytest.mark.parametrize("language", ["en", "cy"])
@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_the_report_passes_axe_and_fits_the_screen(new_page, make_user, language, viewport):
    people_taking_part()
    evaluator = make_user(Role.EVALUATOR)
    page = new_page(viewport)
    sign_in(page, evaluator.username, language=language)
    with translation.override(language):
        page.goto(reverse("indicators:evaluation-report"))
        assert page.locator("h1").inner_text() == translation.gettext("Evaluation report")
    assert page.locator("svg[role=img]").count() >= 2  # a line chart and a sociogram
    screenshot(page, f"evaluation-report-{language}-{'phone' if viewport is PHONE else 'desktop'}")
    assert_fits_width(page)
    assert_accessible(page)
