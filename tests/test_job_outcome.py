"""The three job pages (area summaries, indicator values import, toolkit export) show a job's
status and outcome through one shared partial (templates/includes/job_outcome.html): the same
tag, progress bar, failure message and "Try again" on each."""

import pytest

from core.models import Role
from core.tests.factories import default_site
from indicators.models import IndicatorImport, SummaryRun
from toolkit.models import ToolkitExport

pytestmark = pytest.mark.django_db


def jobs(user):
    return [
        (SummaryRun.objects.create(requested_by=user), "/en/areas/summaries/{}/",
         "The summaries were not worked out"),
        (IndicatorImport.objects.create(requested_by=user, file_name="values.csv", content=""),
         "/en/areas/values/import/{}/", None),
        (ToolkitExport.objects.create(requested_by=user, site=default_site(), base_url="http://x"),
         "/en/toolkit/exports/{}/", "The toolkit was not built"),
    ]  # fmt: skip


def test_each_job_page_shows_progress_then_a_failure_through_the_shared_partial(client_as):
    client = client_as(Role.COORDINATOR)
    for job, url, failed_title in jobs(client.user):
        page = client.get(url.format(job.pk))
        names = [template.name for template in page.templates]
        assert "includes/job_outcome.html" in names, url
        text = page.content.decode()
        assert 'class="govuk-tag">Waiting to start</strong>' in text
        assert "<progress" in text and "Try again" not in text
        job.status, job.message = "failed", "The worker stopped."
        job.save()
        text = client.get(url.format(job.pk)).content.decode()
        assert 'class="govuk-tag govuk-tag--red">Failed</strong>' in text
        assert "The worker stopped." in text and "<progress" not in text
        assert f'<form method="post" action="{job.retry_url}">' in text and "Try again" in text
        assert (failed_title in text) if failed_title else "govuk-error-summary" not in text
