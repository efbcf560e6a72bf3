from django.conf import settings
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


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
