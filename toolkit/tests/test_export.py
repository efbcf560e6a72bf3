"""A site's toolkit exported as a job, as coordinators and partners meet it: asked for on a
page, built with a progress bar, its three files downloaded through a checked view and never
from the storage's own address, the same data giving the same data files and PDF text, a
failure shown with its reason and Try again, old exports deleted with their files, and
partners getting the latest one that finished."""

import io
import json
import signal
import subprocess
import sys
import zipfile
from pathlib import Path
from unittest import mock

import pytest
from django.db import OperationalError

from assets.tests.factories import AssetFactory
from core.jobs import job_claim, job_release
from core.models import Role
from core.tests.factories import SiteFactory, default_site
from toolkit import selectors
from toolkit.models import ToolkitExport
from toolkit.services import toolkit_export_delete
from toolkit.tests.test_builder import data, pdf_text  # noqa: F401 - the shared fixture

pytestmark = pytest.mark.django_db
EXPORTS = "/en/toolkit/exports/"
PERSONAL = ("P-042", "Amira", "Haddad", "07700 900123", "Gwen Morgan")


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def post(django_capture_on_commit_callbacks):
    """post(client, url, data): runs what the request queued on commit (Celery is eager in
    tests: the job runs as if a worker took it), then follows the redirect."""

    def send(client, url, form=None):
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(url, form or {})
        return client.get(response["Location"]) if response.status_code == 302 else response

    return send


@pytest.fixture
def exported(post, client_as, data):  # noqa: F811
    client = client_as(Role.COORDINATOR)
    page = post(client, EXPORTS, {"site": default_site().pk})
    return {"client": client, "page": page.content.decode(), "job": ToolkitExport.objects.get()}


def download(client, job, name) -> bytes:
    response = client.get(f"{EXPORTS}{job.pk}/{name}")
    assert response.status_code == 200, name
    assert response["Content-Disposition"].startswith("attachment")
    return b"".join(response.streaming_content)


def zip_files(content: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def test_a_coordinator_builds_their_sites_toolkit_and_downloads_its_three_files(exported):
    job, client = exported["job"], exported["client"]
    assert job.status == "done" and job.requested_by == client.user
    assert [entry["name"] for entry in job.result_files] == list(ToolkitExport.FILES)
    page = exported["page"]
    assert "Toolkit in English (PDF)" in page and "Data bundle (ZIP)" in page
    assert "/media/" not in page
    english = pdf_text(download(client, job, "toolkit-en.pdf"))
    welsh = pdf_text(download(client, job, "toolkit-cy.pdf"))
    assert "Townhill Library" in english and "Llyfrgell Townhill" in welsh
    files = zip_files(download(client, job, "toolkit.zip"))
    assert {"toolkit-en.pdf", "toolkit-cy.pdf", "assets.csv", "README.md"} <= set(files)
    assert "Language Café" in files["assets.csv"].decode()
    history = client.get(EXPORTS).content.decode()
    assert client.user.username in history and "Done" in history and "KB" in history


def test_nothing_personal_is_in_any_file_the_job_made(exported):
    job, client = exported["job"], exported["client"]
    files = zip_files(download(client, job, "toolkit.zip"))
    texts = [pdf_text(download(client, job, f"toolkit-{lang}.pdf")) for lang in ("en", "cy")]
    texts += [pdf_text(files[f"toolkit-{lang}.pdf"]) for lang in ("en", "cy")]
    for name, content in files.items():
        if name.endswith(".xlsx"):
            texts += [text.decode() for text in zip_files(content).values()]
        elif not name.endswith(".pdf"):
            texts.append(content.decode())
    for text in texts:
        assert "Secret Sewing Skill" not in text  # an individual asset without consent
        for personal in PERSONAL:
            assert personal not in text


def test_the_same_data_exported_twice_gives_the_same_data_files_and_pdf_text(exported, post):
    first, client = exported["job"], exported["client"]
    post(client, EXPORTS, {"site": default_site().pk})
    second = ToolkitExport.objects.exclude(pk=first.pk).get()
    one, two = (zip_files(download(client, job, "toolkit.zip")) for job in (first, second))
    for name in one:
        if name.endswith((".csv", ".json", ".geojson", ".md")):
            assert one[name] == two[name], name
        elif name.endswith(".pdf"):
            assert pdf_text(one[name]) == pdf_text(two[name]), name


def test_a_site_toolkit_holds_only_that_sites_assets(post, client_as, data):  # noqa: F811
    other = SiteFactory(slug="cardiff", name_en="Cardiff", name_cy="Caerdydd")
    AssetFactory(name="Splott Community Garden", site=other)
    client = client_as(Role.COORDINATOR, sites=[other])
    post(client, EXPORTS, {"site": other.pk})
    job = ToolkitExport.objects.get()
    text = pdf_text(download(client, job, "toolkit-en.pdf"))
    assert "Splott Community Garden" in text and "Townhill Library" not in text


def test_a_coordinator_cannot_export_see_or_download_another_sites_toolkit(exported, client_as):
    other = SiteFactory(slug="cardiff")
    stranger = client_as(Role.COORDINATOR, sites=[other])
    job = exported["job"]
    response = stranger.post(EXPORTS, {"site": default_site().pk})
    assert response.status_code == 302 and ToolkitExport.objects.count() == 1
    assert stranger.get(job.get_absolute_url()).status_code == 404
    assert stranger.get(f"{EXPORTS}{job.pk}/toolkit.zip").status_code == 404
    assert stranger.post(f"{EXPORTS}{job.pk}/delete/").status_code == 404
    assert "Test site" not in stranger.get(EXPORTS).content.decode()


def test_an_unknown_file_name_is_a_404_not_a_file_outside_the_export(exported):
    client, job = exported["client"], exported["job"]
    for name in ("README.md", "..%2F..%2Fsettings.py", "toolkit.zip.bak"):
        assert client.get(f"{EXPORTS}{job.pk}/{name}").status_code == 404


def test_a_failed_export_shows_why_and_try_again_builds_it(post, client_as, data):  # noqa: F811
    client = client_as(Role.COORDINATOR)
    with mock.patch("toolkit.builder.toolkit_pdf", side_effect=ValueError("boom")):
        page = post(client, EXPORTS, {"site": default_site().pk}).content.decode()
    job = ToolkitExport.objects.get()
    assert job.status == "failed" and job.result_files == []
    assert "The toolkit could not be built. Try again in a minute." in page
    assert "boom" not in page and "Try again" in page
    assert selectors.latest_export(default_site()) is None
    page = post(client, job.retry_url).content.decode()
    job.refresh_from_db()
    assert job.status == "done" and len(job.result_files) == 3
    assert "Toolkit in Welsh (PDF)" in page


@pytest.fixture
def renderer(monkeypatch):
    """The English PDF's child process replaced by a given Python program; the children
    started are kept, to check that none is left running."""
    from toolkit import builder

    started = []

    class Recorded(subprocess.Popen):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            started.append(self)

    def use(program: str):
        monkeypatch.setattr(builder, "PDF_COMMAND", [sys.executable, "-c", program])
        monkeypatch.setattr(builder.subprocess, "Popen", Recorded)
        return started

    return use


@pytest.mark.usefixtures("data")
def test_a_pdf_renderer_that_fails_fails_the_export_with_its_reason_in_the_log(
    post, client_as, renderer, caplog
):
    started = renderer("import sys; sys.stderr.write('no fonts here'); sys.exit(3)")
    page = post(client_as(Role.COORDINATOR), EXPORTS, {"site": default_site().pk})
    job = ToolkitExport.objects.get()
    assert job.status == "failed" and job.result_files == []
    assert "The toolkit could not be built. Try again in a minute." in page.content.decode()
    assert "the PDF renderer exited with status 3: no fonts here" in caplog.text
    assert [child.returncode for child in started] == [3]


@pytest.mark.usefixtures("data")
def test_a_pdf_renderer_past_its_time_is_stopped_and_the_export_fails_as_too_long(
    post, client_as, renderer, monkeypatch
):
    from toolkit import builder

    monkeypatch.setattr(builder, "PDF_SECONDS", 1)
    started = renderer("import time; time.sleep(60)")
    page = post(client_as(Role.COORDINATOR), EXPORTS, {"site": default_site().pk})
    job = ToolkitExport.objects.get()
    assert job.status == "failed" and job.result_files == []
    assert "Building the toolkit took too long and was stopped. Try again." in (
        page.content.decode()
    )
    assert len(started) == 1 and started[0].returncode == -signal.SIGKILL  # killed and reaped


def test_a_run_retried_after_a_lost_connection_ends_with_exactly_three_files(
    data,  # noqa: F811
    make_user,
    media,
):
    from toolkit import services

    job = ToolkitExport.objects.create(
        requested_by=make_user(Role.COORDINATOR), site=default_site(), base_url="http://x"
    )
    run = job_claim(model=ToolkitExport, job_id=job.pk)
    lost = OperationalError("the database went away")
    with mock.patch.object(services, "job_finish", side_effect=lost), pytest.raises(type(lost)):
        services.toolkit_build(job=run)  # stored its files, then lost the connection
    job_release(job=run)
    again = job_claim(model=ToolkitExport, job_id=job.pk, held=run.attempts)
    services.toolkit_build(job=again)
    job.refresh_from_db()
    assert job.status == "done" and job.attempts == 2
    assert [entry["name"] for entry in job.result_files] == list(ToolkitExport.FILES)
    stored = sorted(path.name for path in Path(media).rglob("*") if path.is_file())
    assert stored == sorted(ToolkitExport.FILES)


def test_deleting_an_export_removes_its_files(exported, post, media):
    job, client = exported["job"], exported["client"]
    paths = [Path(media) / entry["path"] for entry in job.result_files]
    assert all(path.exists() for path in paths)
    page = post(client, f"{EXPORTS}{job.pk}/delete/").content.decode()
    assert "The export and its files were deleted." in page
    assert not ToolkitExport.objects.exists()
    assert not any(path.exists() for path in paths)


def test_an_export_still_being_built_cannot_be_deleted(data, make_user):  # noqa: F811
    job = ToolkitExport.objects.create(
        requested_by=make_user(Role.COORDINATOR), site=default_site(), base_url="http://x"
    )
    with pytest.raises(Exception, match="Wait until the export has finished"):
        toolkit_export_delete(job=job)
    assert ToolkitExport.objects.filter(pk=job.pk).exists()


def test_partners_get_the_latest_finished_toolkit_as_json_and_download_it(
    exported, post, client_as
):
    first, coordinator = exported["job"], exported["client"]
    with mock.patch("toolkit.builder.toolkit_pdf", side_effect=ValueError("boom")):
        post(coordinator, EXPORTS, {"site": default_site().pk})  # a newer one that failed
    partner = client_as(Role.PARTNER, sites=[])
    response = partner.get("/en/toolkit/sites/test-site/latest/")
    assert response.status_code == 200
    body = json.loads(response.content)
    assert body["site"] == "test-site" and body["name"] == {"en": "Test site", "cy": "Safle prawf"}
    assert [entry["name"] for entry in body["files"]] == list(ToolkitExport.FILES)
    url = body["files"][2]["url"]
    assert url.endswith("/toolkit/sites/test-site/latest/toolkit.zip")
    content = b"".join(partner.get(url).streaming_content)
    assert content == download(coordinator, first, "toolkit.zip")
    post(coordinator, f"{EXPORTS}{first.pk}/delete/")
    assert partner.get("/en/toolkit/sites/test-site/latest/").status_code == 404


def test_the_export_pages_speak_welsh(exported):
    client, job = exported["client"], exported["job"]
    page = client.get(f"/cy/toolkit/exports/{job.pk}/").content.decode()
    assert "Pecyn cymorth yn Gymraeg (PDF)" in page and "Bwndel data (ZIP)" in page
    listing = client.get("/cy/toolkit/exports/").content.decode()
    assert "Creu'r pecyn cymorth nawr" in listing and "Allforion hyd yma" in listing


@pytest.mark.parametrize("chosen", ["", "abc", "99999", "1.5", "-1"])
def test_asking_for_no_site_or_a_wrong_one_says_choose_one_of_yours(chosen, post, client_as):
    page = post(client_as(Role.COORDINATOR), EXPORTS, {"site": chosen}).content.decode()
    assert "Choose one of your sites." in page
    assert not ToolkitExport.objects.exists()
