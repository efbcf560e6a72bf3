from datetime import timedelta

from django.conf import settings
from django.db import models
from django.template.defaultfilters import filesizeformat
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.timezone import localtime
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from core.models import Job


class ToolkitSection(models.Model):
    """A section of the toolkit for service providers, in English and Welsh (Markdown), in
    the order the toolkit shows them. Coordinators edit it; every change is kept as a
    ToolkitRevision, so who changed what can always be seen."""

    slug = models.SlugField(_("slug"), max_length=60, unique=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    title_en = models.CharField(_("title (English)"), max_length=200)
    title_cy = models.CharField(_("title (Welsh)"), max_length=200)
    body_en = models.TextField(_("text (English)"))
    body_cy = models.TextField(_("text (Welsh)"))
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["order", "slug"]

    def __str__(self):
        return self.title

    @property
    def title(self) -> str:
        return self.title_cy if get_language() == "cy" else self.title_en

    @property
    def body(self) -> str:
        return self.body_cy if get_language() == "cy" else self.body_en


class ToolkitRevision(models.Model):
    """A section as it was saved, by whom and when. Rows are only ever added."""

    APPEND_ONLY = True

    section = models.ForeignKey(ToolkitSection, on_delete=models.CASCADE, related_name="revisions")
    title_en = models.CharField(_("title (English)"), max_length=200)
    title_cy = models.CharField(_("title (Welsh)"), max_length=200)
    body_en = models.TextField(_("text (English)"))
    body_cy = models.TextField(_("text (Welsh)"))
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    changed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-changed_at", "-pk"]

    def __str__(self):
        return f"{self.section_id} at {self.changed_at:%Y-%m-%d %H:%M}"


class ToolkitExport(Job):
    """One build of a site's toolkit: toolkit-en.pdf, toolkit-cy.pdf and toolkit.zip, made on
    the worker (toolkit.tasks) and kept in the default storage, downloaded only through
    toolkit.views.ExportDownloadView. The latest one done for a site is what partners get
    (toolkit.selectors.latest_export)."""

    site = models.ForeignKey("core.Site", on_delete=models.CASCADE, related_name="+")
    # Where the QR codes in the directory point: the address the export was asked from.
    base_url = models.CharField(max_length=200)

    lease = timedelta(minutes=10)  # longer than the task's time limit (toolkit.tasks)
    unexpected_message = _("The toolkit could not be built. Try again in a minute.")
    timeout_message = _("Building the toolkit took too long and was stopped. Try again.")

    FILES = ("toolkit-en.pdf", "toolkit-cy.pdf", "toolkit.zip")

    class Meta(Job.Meta):
        verbose_name = _("toolkit export")
        indexes = [
            models.Index(
                fields=["status", "lease_expires_at"], name="%(app_label)s_%(class)s_lease"
            ),
            models.Index(fields=["site", "status", "finished_at"], name="toolkit_export_latest"),
        ]

    def __str__(self):
        return _("Toolkit for %(site)s, %(when)s") % {
            "site": self.site.name,
            "when": date_format(localtime(self.created_at), "j M Y, H:i"),
        }

    @property
    def summary(self) -> str:
        if not self.result_files:
            return ""
        return filesizeformat(sum(entry["size"] for entry in self.result_files))

    def file(self, name: str) -> dict | None:
        return next((entry for entry in self.result_files if entry["name"] == name), None)

    def get_absolute_url(self):
        return reverse("toolkit:export", kwargs={"pk": self.pk})

    @property
    def retry_url(self):
        return reverse("toolkit:export-retry", kwargs={"pk": self.pk})
