"""Reads of the toolkit app."""

from django.db.models import OuterRef, QuerySet, Subquery

from core.models import JobStatus, Site
from core.sites import site_scope
from toolkit.models import ToolkitExport


def exports_for(user) -> QuerySet:
    """The exports of the sites a person reaches (core.sites), newest first."""
    return site_scope(ToolkitExport.objects.select_related("site", "requested_by"), user)


def latest_export(site: Site) -> ToolkitExport | None:
    """The site's published toolkit: its latest export that finished (a newer one still being
    built, or one that failed, does not replace it; deleting it makes the one before the
    latest). This is what partners download."""
    return (
        ToolkitExport.objects.filter(site=site, status=JobStatus.DONE)
        .exclude(result_files=[])
        .order_by("-finished_at", "-pk")
        .first()
    )


def latest_exports() -> QuerySet:
    """Every site's published toolkit (latest_export's rule), one per site that has one."""
    latest = (
        ToolkitExport.objects.filter(site=OuterRef("site"), status=JobStatus.DONE)
        .exclude(result_files=[])
        .order_by("-finished_at", "-pk")
        .values("pk")[:1]
    )
    return ToolkitExport.objects.filter(pk=Subquery(latest))
