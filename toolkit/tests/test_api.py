"""/api/v1/toolkits/: each site's published toolkit (its latest export that finished) with
its files, for an `aggregates` key, in a constant number of queries."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from core.jobs import job_file_save
from core.tests.factories import SiteFactory, api_key_make, default_site
from toolkit.models import ToolkitExport

TOOLKITS = "/api/v1/toolkits/"


@pytest.fixture
def api(client, db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    _key, aggregates = api_key_make("aggregates")

    def get(url, **params):
        return client.get(url, params, HTTP_AUTHORIZATION=f"Bearer {aggregates}")

    return get


def export(site, *, status="done", hours_ago=0, files=("toolkit-en.pdf", "toolkit.zip")):
    job = ToolkitExport.objects.create(
        site=site,
        base_url="http://x",
        status=status,
        finished_at=timezone.now() - timedelta(hours=hours_ago) if status == "done" else None,
    )
    for name in files:
        job_file_save(job=job, name=name, content=f"{name} of {job.pk}".encode())
    return job


@pytest.mark.django_db
def test_each_site_lists_its_latest_finished_toolkit_with_its_files(api):
    site, other, never = default_site(), SiteFactory(slug="mayhill"), SiteFactory(slug="gors")
    export(site, hours_ago=5)
    latest = export(site, hours_ago=1)
    export(site, status="failed")
    export(site, status="running", files=())
    theirs = export(other, hours_ago=2, files=("toolkit.zip",))

    body = api(TOOLKITS).json()

    assert body["count"] == 2
    assert [row["site"] for row in body["results"]] == ["mayhill", "test-site"]
    ours = body["results"][1]
    assert ours["id"] == latest.pk
    assert (ours["site_name_en"], ours["site_name_cy"]) == ("Test site", "Safle prawf")
    assert ours["built_at"] == latest.finished_at.isoformat().replace("+00:00", "Z")
    assert ours["files"] == [
        {
            "name": name,
            "size": len(f"{name} of {latest.pk}"),
            "url": f"http://testserver/api/v1/toolkits/test-site/files/{name}/",
        }
        for name in ("toolkit-en.pdf", "toolkit.zip")
    ]
    assert body["results"][0]["id"] == theirs.pk
    assert never.slug not in str(body)


@pytest.mark.django_db
def test_a_file_downloads_with_the_same_key(api):
    latest = export(default_site())

    response = api(f"{TOOLKITS}test-site/files/toolkit.zip/")

    assert response.status_code == 200
    assert b"".join(response.streaming_content) == f"toolkit.zip of {latest.pk}".encode()
    assert response["Content-Type"] == "application/zip"
    assert 'filename="test-site-toolkit.zip"' in response["Content-Disposition"]
    assert api(f"{TOOLKITS}test-site/files/toolkit-cy.pdf/").status_code == 404  # not built
    assert api(f"{TOOLKITS}test-site/files/settings.py/").status_code == 404


@pytest.mark.django_db
def test_a_site_without_a_toolkit_is_not_found(api):
    SiteFactory(slug="gors")
    export(default_site(), status="failed")

    assert api(f"{TOOLKITS}gors/").status_code == 404
    assert api(f"{TOOLKITS}test-site/").status_code == 404
    assert api(f"{TOOLKITS}nowhere/files/toolkit.zip/").status_code == 404
    assert api(TOOLKITS).json()["results"] == []


@pytest.mark.django_db
def test_one_site_by_its_short_name(api):
    latest = export(default_site())

    row = api(f"{TOOLKITS}test-site/").json()

    assert (row["id"], row["site"]) == (latest.pk, "test-site")
    assert row["files"][0]["url"].endswith("/api/v1/toolkits/test-site/files/toolkit-en.pdf/")


@pytest.mark.django_db
def test_a_public_key_is_refused(client, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    export(default_site())
    _key, public = api_key_make("public")

    for url in [TOOLKITS, f"{TOOLKITS}test-site/", f"{TOOLKITS}test-site/files/toolkit.zip/"]:
        response = client.get(url, HTTP_AUTHORIZATION=f"Bearer {public}")
        assert response.status_code == 403
        assert "aggregates" in response.json()["detail"]


@pytest.mark.django_db
def test_the_list_takes_as_many_queries_for_ten_sites_as_for_one(api):
    export(default_site())
    api(TOOLKITS)  # the key's last-used time is written on its first use
    with CaptureQueriesContext(connection) as one:
        api(TOOLKITS)
    for n in range(9):
        export(SiteFactory(slug=f"site-{n}"))
    with CaptureQueriesContext(connection) as ten:
        assert api(TOOLKITS).json()["count"] == 10

    assert len(ten) == len(one) <= 3
