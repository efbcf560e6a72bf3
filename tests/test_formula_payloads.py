"""A formula payload in every export: text that starts like a spreadsheet formula (= + - @
tab CR), put in every text field a download carries, comes out neutralised (a leading
apostrophe) in every CSV and XLSX download across the product (core.spreadsheets)."""

import csv
import io
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from assets.models import AssetCategory, AssetEndorsement, AssetStatus
from assets.tests.factories import AssetFactory
from core.models import Role
from core.spreadsheets import FORMULA_STARTS
from core.tests.factories import default_site
from participants.models import PersonalDetails
from participants.tests.factories import ParticipantFactory
from workshops.models import Attendance, Barrier, Workshop
from workshops.services import action_create

pytestmark = pytest.mark.django_db

ASSET_TEXT = {
    "name": '=HYPERLINK("http://x","click")',
    "name_cy": "+cmd|' /C calc'!A0",
    "description": "-2+3",
    "description_cy": "@SUM(1+1)",
    "address": "\t=1+1",
    "contact": "\r=1+1",
    "opening_times": "=NOW()",
    "accessibility": "+1",
}
WORKSHOP_TEXT = {"title": "=WEBSERVICE(1)", "theme": "+theme"}
BARRIER_TITLE = "-barrier"
ACTION_TEXT = {"title": "@action", "owner": "=owner"}
PERSON_TEXT = {"full_name": "=name", "phone": "+44 7700 900123", "address": "-1 Main St"}


def assert_neutralised(cells: list, *, payloads: list[str]) -> None:
    """No text cell starts like a formula, except a number (a longitude of -3.95); every
    payload is there, neutralised."""
    texts = [cell for cell in cells if isinstance(cell, str)]
    for text in texts:
        if text.startswith(FORMULA_STARTS):
            float(text)  # raises for anything but a number
    # XML (so XLSX) keeps a carriage return as a line feed.
    found = "\n".join(texts).replace("\r", "\n")
    for payload in payloads:
        assert f"'{payload}".replace("\r", "\n") in found, payload


def csv_cells(response) -> list:
    assert response["Content-Disposition"].startswith("attachment;")
    content = b"".join(response.streaming_content) if response.streaming else response.content
    rows = csv.reader(io.StringIO(content.decode("utf-8-sig"), newline=""))
    return [cell for row in rows for cell in row]


def xlsx_cells(response) -> list:
    assert response["Content-Disposition"].startswith("attachment;")
    sheet = load_workbook(io.BytesIO(response.content)).active
    cells = [cell for row in sheet.iter_rows() for cell in row]
    assert not [cell.coordinate for cell in cells if cell.data_type == "f"]
    return [cell.value for cell in cells]


@pytest.fixture
def payloads(client_as):
    participant_client = client_as(Role.PARTICIPANT)
    person = ParticipantFactory(user=participant_client.user, display_name="@Sam")
    PersonalDetails.objects.create(participant=person, **PERSON_TEXT)
    asset = AssetFactory(
        **ASSET_TEXT,
        category=AssetCategory.objects.get(slug="community-centre"),
        status=AssetStatus.PUBLISHED,
        on_behalf_of=person,
    )
    AssetEndorsement.objects.create(asset=asset, participant=person)
    start = timezone.now() - timedelta(days=1)
    workshop = Workshop.objects.create(
        site=default_site(),
        **WORKSHOP_TEXT,
        starts_at=start,
        ends_at=start + timedelta(hours=2),
        status="held",
    )
    workshop.assets_identified.add(asset)
    barrier = Barrier.objects.create(
        site=default_site(),
        title=BARRIER_TITLE,
        kind="transport",
        affects="both",
        workshop=workshop,
    )
    action_create(fields=ACTION_TEXT, barriers=[barrier], workshop=workshop)
    Attendance.objects.create(workshop=workshop, participant=person)
    return {"participant": participant_client, "workshop": workshop}


def test_the_asset_directory_csv(client_as, payloads):
    response = client_as(Role.COORDINATOR).get(
        reverse("assets:asset-export-download"), {"format": "csv"}
    )
    assert_neutralised(csv_cells(response), payloads=list(ASSET_TEXT.values()))


def test_the_asset_directory_xlsx(client_as, payloads):
    response = client_as(Role.COORDINATOR).get(
        reverse("assets:asset-export-download"), {"format": "xlsx"}
    )
    assert_neutralised(xlsx_cells(response), payloads=list(ASSET_TEXT.values()))


def test_the_workshop_report_csv(client_as, payloads):
    url = reverse("workshops:workshop-report", args=[payloads["workshop"].pk])
    response = client_as(Role.COORDINATOR).get(url, {"format": "csv"})
    assert_neutralised(
        csv_cells(response),
        payloads=[
            *WORKSHOP_TEXT.values(),
            ASSET_TEXT["name"],
            BARRIER_TITLE,
            *ACTION_TEXT.values(),
        ],
    )


def test_a_participants_own_data_csv(payloads):
    response = payloads["participant"].get(reverse("participants:my-data"), {"format": "csv"})
    assert_neutralised(
        csv_cells(response),
        payloads=[*PERSON_TEXT.values(), "@Sam", ASSET_TEXT["name"], WORKSHOP_TEXT["title"]],
    )


@pytest.mark.parametrize(
    "name", ["participants:evaluation-dataset", "participants:evaluation-dictionary"]
)
def test_the_evaluation_downloads(client_as, payloads, name):
    response = client_as(Role.EVALUATOR).get(reverse(name))
    assert_neutralised(csv_cells(response), payloads=[])
