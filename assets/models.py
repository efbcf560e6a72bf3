from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


class AreaLevel(models.TextChoices):
    LOCAL_AUTHORITY = "la", _("Local authority")
    MSOA = "msoa", _("Middle layer super output area")
    LSOA = "lsoa", _("Lower layer super output area")
    SITE = "site", _("Test site")


class Area(models.Model):
    """A place the programme reports on: an ONS area (local authority, MSOA, LSOA) or a test
    site. The boundary is a GeoJSON geometry (WGS84); see DESIGN §3 for why not GeoDjango."""

    code = models.CharField(_("code"), max_length=20, unique=True)
    name_en = models.CharField(_("name (English)"), max_length=120)
    name_cy = models.CharField(_("name (Welsh)"), max_length=120, blank=True)
    level = models.CharField(_("level"), max_length=4, choices=AreaLevel.choices)
    parent = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="children"
    )
    boundary = models.JSONField(_("boundary"), null=True, blank=True)
    population = models.PositiveIntegerField(_("population"), null=True, blank=True)

    class Meta:
        ordering = ["level", "code"]
        indexes = [models.Index(fields=["level", "code"])]

    def __str__(self):
        return self.name

    @property
    def name(self) -> str:
        return self.name_cy if get_language() == "cy" and self.name_cy else self.name_en
