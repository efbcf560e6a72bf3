from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from assets.models import Area, Domain


class Unit(models.TextChoices):
    """What a value measures; it also decides how its 95% confidence interval is found
    (indicators.statistics): Wilson for proportions, Byar's for counts and rates."""

    SCORE = "score", _("Mean score")
    PERCENT = "percent", _("Percentage")
    PER_1000 = "per_1000", _("Per 1,000 residents")
    COUNT = "count", _("Count")


class Polarity(models.TextChoices):
    HIGHER_BETTER = "higher", _("Higher is better")
    LOWER_BETTER = "lower", _("Lower is better")
    NEUTRAL = "neutral", _("Neither higher nor lower is better")


class Method(models.TextChoices):
    IMPORTED = "imported", _("Imported from a published source")
    COMPUTED = "computed", _("Computed from the programme's data")


class Indicator(models.Model):
    """A health-asset indicator in one of the three domains (DESIGN §1, §4). The set is seeded
    by a migration; values come from a CSV import or from the area summaries."""

    code = models.SlugField(_("code"), max_length=60, unique=True)
    name_en = models.CharField(_("name (English)"), max_length=120)
    name_cy = models.CharField(_("name (Welsh)"), max_length=120)
    definition_en = models.TextField(_("definition (English)"))
    definition_cy = models.TextField(_("definition (Welsh)"))
    domain = models.CharField(_("domain"), max_length=10, choices=Domain.choices)
    unit = models.CharField(_("unit"), max_length=10, choices=Unit.choices)
    polarity = models.CharField(_("polarity"), max_length=7, choices=Polarity.choices)
    source = models.CharField(_("source"), max_length=200)
    method = models.CharField(_("method"), max_length=8, choices=Method.choices)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["order", "code"]  # the seeded order: individual, community, structural

    def __str__(self):
        return self.name

    @property
    def name(self) -> str:
        return self.name_cy if get_language() == "cy" and self.name_cy else self.name_en

    @property
    def definition(self) -> str:
        return self.definition_cy if get_language() == "cy" else self.definition_en


class IndicatorValue(models.Model):
    """One indicator's value for one area and period, with its 95% confidence interval and
    the numerator and denominator it came from where known. `illustrative` marks values that
    are not real (the demo's): every page and download that shows one says so."""

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="values")
    area = models.ForeignKey(Area, on_delete=models.CASCADE, related_name="+")
    period = models.CharField(_("period"), max_length=9)
    value = models.FloatField(_("value"))
    lower = models.FloatField(_("lower confidence limit"), null=True, blank=True)
    upper = models.FloatField(_("upper confidence limit"), null=True, blank=True)
    numerator = models.FloatField(_("numerator"), null=True, blank=True)
    denominator = models.FloatField(_("denominator"), null=True, blank=True)
    source = models.CharField(_("source"), max_length=200, blank=True)
    illustrative = models.BooleanField(_("illustrative"), default=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["indicator", "area", "period"]
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "area", "period"], name="one_value_per_area_and_period"
            ),
            models.CheckConstraint(
                condition=(
                    models.Q(lower__isnull=True)
                    | models.Q(upper__isnull=True)
                    | models.Q(lower__lte=models.F("upper"))
                ),
                name="lower_limit_not_above_upper",
            ),
        ]

    def __str__(self):
        return f"{self.indicator.code} {self.area_id} {self.period}"


class AreaSummary(models.Model):
    """What the programme's own data says about one area, worked out by the area summaries
    job (indicators.summaries) and kept until the data changes: published assets by domain
    and category, barriers by kind, workshops and participants. Counts are exact here; pages
    and downloads show them through the disclosure rules (participants.disclosure)."""

    area = models.OneToOneField(Area, on_delete=models.CASCADE, related_name="+")
    assets = models.PositiveIntegerField(_("published assets"), default=0)
    assets_by_domain = models.JSONField(_("assets by domain"), default=dict)
    assets_by_category = models.JSONField(_("assets by category"), default=dict)
    barriers_by_kind = models.JSONField(_("barriers by kind"), default=dict)
    figures = models.JSONField(_("other counts"), default=dict)  # what computed indicators use
    workshops = models.PositiveIntegerField(_("workshops"), null=True, blank=True)
    participants = models.PositiveIntegerField(_("participants"), null=True, blank=True)
    computed_at = models.DateTimeField(_("computed at"))

    def __str__(self):
        return f"{self.area_id} at {self.computed_at:%Y-%m-%d %H:%M}"
