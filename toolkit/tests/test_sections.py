"""The toolkit's editable guidance: seeded in both languages, readable by anyone, edited by
coordinators with a preview, every change kept with who made it, and no lost edits."""

import html
import re

import pytest

from core.models import Role
from core.services import version_of
from toolkit.models import ToolkitRevision, ToolkitSection
from toolkit.rendering import markdown_html
from toolkit.services import LONGEST_BODY

pytestmark = pytest.mark.django_db

EDIT = "/en/toolkit/approach/edit/"


def text_of(response) -> str:
    return html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode())))


def form_of(section: ToolkitSection, **changes) -> dict:
    values = {
        "title_en": section.title_en,
        "title_cy": section.title_cy,
        "body_en": section.body_en,
        "body_cy": section.body_cy,
        "version": version_of(section),
        "save": "",
    }
    return {**values, **changes}


def test_the_default_sections_are_there_in_english_and_welsh():
    sections = list(ToolkitSection.objects.all())
    assert [section.slug for section in sections] == [
        "approach", "engaging", "meaningful", "goals", "infrastructure", "directory",
    ]  # fmt: skip
    for section in sections:
        assert len(section.body_en) > 500 and len(section.body_cy) > 500, section.slug
    approach = ToolkitSection.objects.get(slug="approach").body_en
    for principle in (
        "Citizen-led",
        "Relationship-oriented",
        "Asset-based",
        "Place-based",
        "Inclusion-focused",
    ):
        assert principle in approach


def test_anyone_can_read_the_toolkit_in_either_language(client):
    english = text_of(client.get("/en/toolkit/"))
    assert "Engaging people seeking sanctuary and social housing tenants" in english
    assert "Interpreters, booked in advance." in english
    welsh = text_of(client.get("/cy/toolkit/"))
    assert "Ymgysylltu â phobl sy'n ceisio noddfa a thenantiaid tai cymdeithasol" in welsh
    assert "Dehonglwyr, wedi'u trefnu ymlaen llaw." in welsh


def test_markdown_keeps_its_structure_and_loses_anything_that_could_run():
    html = markdown_html(
        "# Big\n\n- one\n- two\n\n<script>alert(1)</script>[x](javascript:alert(1)) "
        "[ok](https://example.org) <img src=x onerror=alert(1)>"
    )
    assert "<h3>Big</h3>" in html and "<li>one</li>" in html
    assert "<script" not in html and "javascript:" not in html and "<img" not in html
    assert '<a href="https://example.org" rel="noopener noreferrer">ok</a>' in html


def test_a_coordinator_saves_a_section_and_the_change_is_kept_with_their_name(client_as):
    client = client_as(Role.COORDINATOR, username="mair")
    section = ToolkitSection.objects.get(slug="approach")
    response = client.post(
        EDIT, form_of(section, body_en="New **approach**.", body_cy="Dull **newydd**.")
    )
    assert response.status_code == 302
    assert "New <strong>approach</strong>." in client.get("/en/toolkit/").content.decode()
    assert "Dull <strong>newydd</strong>." in client.get("/cy/toolkit/").content.decode()
    revision = ToolkitRevision.objects.get()
    assert (revision.changed_by.username, revision.body_en) == ("mair", "New **approach**.")
    history = text_of(client.get("/en/toolkit/approach/history/"))
    assert "mair" in history and "New **approach**." in history


def test_a_section_read_before_an_edit_shows_the_edit_on_the_next_request(client_as):
    client = client_as(Role.COORDINATOR)
    section = ToolkitSection.objects.get(slug="approach")
    client.post(EDIT, form_of(section, body_en="First **words**."))
    assert "First <strong>words</strong>." in client.get("/en/toolkit/").content.decode()

    section.refresh_from_db()
    client.post(EDIT, form_of(section, body_en="Second **words**."))

    page = client.get("/en/toolkit/").content.decode()
    assert "Second <strong>words</strong>." in page and "First" not in page


def test_saving_without_a_change_records_nothing(client_as):
    section = ToolkitSection.objects.get(slug="approach")
    client_as(Role.COORDINATOR).post(EDIT, form_of(section))
    assert not ToolkitRevision.objects.exists()


def test_a_preview_shows_the_text_and_saves_nothing(client_as):
    section = ToolkitSection.objects.get(slug="approach")
    data = form_of(section, body_en="### Seen first", body_cy="### Gwelwyd gyntaf")
    del data["save"]
    page = client_as(Role.COORDINATOR).post(EDIT, {**data, "preview": ""}).content.decode()
    assert "Preview – not saved yet" in page and "<h3>Seen first</h3>" in page
    assert "<h3>Gwelwyd gyntaf</h3>" in page
    section.refresh_from_db()
    assert "Seen first" not in section.body_en and not ToolkitRevision.objects.exists()


def test_both_languages_are_needed_and_nothing_is_saved_without_them(client_as):
    section = ToolkitSection.objects.get(slug="approach")
    page = text_of(client_as(Role.COORDINATOR).post(EDIT, form_of(section, body_cy="  ")))
    assert "Error:" in page and "Text in Welsh" in page
    section.refresh_from_db()
    assert section.body_cy.strip() and not ToolkitRevision.objects.exists()


@pytest.mark.parametrize(
    ("length", "saved"), [(LONGEST_BODY - 1, True), (LONGEST_BODY, True), (LONGEST_BODY + 1, False)]
)
def test_a_section_may_be_as_long_as_the_limit_and_no_longer(client_as, length, saved):
    section = ToolkitSection.objects.get(slug="approach")
    page = text_of(client_as(Role.COORDINATOR).post(EDIT, form_of(section, body_en="a" * length)))
    section.refresh_from_db()
    assert (len(section.body_en) == length) is saved
    if not saved:
        assert "Keep a section under 20,000 characters" in page


def test_two_coordinators_editing_at_once_do_not_overwrite_each_other(client_as):
    section = ToolkitSection.objects.get(slug="approach")
    first, second = client_as(Role.COORDINATOR), client_as(Role.COORDINATOR)
    opened = form_of(section)  # both open the page on the same version
    first.post(EDIT, {**opened, "body_en": "First edit."})
    page = text_of(second.post(EDIT, {**opened, "body_en": "Second edit."}))
    assert "Someone else changed this since you opened it" in page
    assert "First edit." in page and "Second edit." in page  # both versions, side by side
    section.refresh_from_db()
    assert section.body_en == "First edit."
    newer = form_of(section, body_en="Second edit.")  # saving again, knowingly
    second.post(EDIT, newer)
    section.refresh_from_db()
    assert section.body_en == "Second edit." and ToolkitRevision.objects.count() == 2


@pytest.mark.parametrize(
    "role", [None, Role.PARTICIPANT, Role.FACILITATOR, Role.EVALUATOR, Role.PARTNER]
)
def test_only_coordinators_can_change_the_toolkit(client_as, role):
    section = ToolkitSection.objects.get(slug="approach")
    client_as(role).post(EDIT, form_of(section, body_en="Defaced."))
    section.refresh_from_db()
    assert section.body_en != "Defaced." and not ToolkitRevision.objects.exists()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.parametrize("language", ["en", "cy"])
def test_the_toolkit_reads_and_edits_on_a_phone_and_passes_axe(new_page, make_user, language):
    from tests.browser import PHONE, assert_accessible, assert_fits_width, screenshot, sign_in

    coordinator = make_user(Role.COORDINATOR)
    page = new_page(PHONE)
    page.goto(f"/{language}/toolkit/")
    assert page.locator("h2#engaging-heading").is_visible()
    screenshot(page, f"toolkit-{language}-phone")
    assert_fits_width(page)
    assert_accessible(page)
    sign_in(page, coordinator.username, language=language)
    page.goto(f"/{language}/toolkit/goals/edit/")
    page.locator(f"#id_body_{language}").fill("### Shared goals, again\n\n- one\n- two")
    page.locator("button[name=preview]").click()
    page.wait_for_load_state()
    assert "Shared goals, again" in page.locator("#preview").inner_text()
    assert_fits_width(page)
    assert_accessible(page)
    page.locator("button[name=save]").click()
    page.wait_for_load_state()
    assert "Shared goals, again" in page.locator("#goals").inner_text()
    assert ToolkitRevision.objects.get().changed_by == coordinator
