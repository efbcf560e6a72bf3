from datetime import timedelta

from django.db import models
from django.urls import reverse
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext_lazy as _

from assets.models import Area, Domain
from core.models import Job, JobStatus


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

    class Meta:
        permissions = [("recompute_areasummary", _("Can recompute the area summaries"))]

    def __str__(self):
        return f"{self.area_id} at {self.computed_at:%Y-%m-%d %H:%M}"


class SummaryRun(Job):
    """A recompute of every area summary and computed indicator: asked for on the summaries
    page (with a progress bar), or nightly by beat (no one asked). Changes between runs are
    applied within seconds through the change outbox (indicators.summaries)."""

    areas_written = models.PositiveIntegerField(default=0)

    lease = timedelta(minutes=10)  # the task stops after 5
    unexpected_message = _("The summaries could not be worked out. Try again in a minute.")
    timeout_message = _("Working out the summaries took too long and was stopped. Try again.")

    def __str__(self):
        return f"{_('Area summaries')} {self.created_at:%Y-%m-%d %H:%M}"

    def get_absolute_url(self) -> str:
        return reverse("indicators:summary-run", kwargs={"pk": self.pk})

    @property
    def retry_url(self) -> str:
        return reverse("indicators:summary-run-retry", kwargs={"pk": self.pk})

    @property
    def summary(self) -> str:
        if self.status != JobStatus.DONE:
            return ""
        return ngettext("%(count)s area", "%(count)s areas", self.areas_written) % {
            "count": self.areas_written
        }


class IndicatorImport(Job):
    """One CSV of indicator values, imported all or nothing by the worker. A file with wrong
    rows imports nothing and lists every problem (which row, which field, why)."""

    file_name = models.CharField(max_length=200)
    content = models.TextField()
    problems = models.JSONField(default=list, blank=True)
    imported_count = models.PositiveIntegerField(default=0)

    lease = timedelta(minutes=10)
    unexpected_message = _("The file could not be imported. Try again in a minute.")

    class Meta(Job.Meta):
        # The job layer's default index name would pass the 30 characters allowed.
        indexes = [
            models.Index(fields=["status", "lease_expires_at"], name="indicators_import_lease")
        ]

    timeout_message = _("The file took too long. Split it into smaller files and import each.")

    def __str__(self):
        return self.file_name

    def get_absolute_url(self) -> str:
        return reverse("indicators:value-import", kwargs={"pk": self.pk})

    @property
    def retry_url(self) -> str:
        return reverse("indicators:value-import-retry", kwargs={"pk": self.pk})

    @property
    def state(self) -> str:
        return "invalid" if self.problems else self.status

    @property
    def state_label(self) -> str:
        if self.problems:
            return str(_("Problems found: nothing imported"))
        return super().state_label

    @property
    def needs_attention(self) -> bool:
        return bool(self.problems) or super().needs_attention

    @property
    def summary(self) -> str:
        if self.problems:
            return ngettext("%(count)s problem", "%(count)s problems", len(self.problems)) % {
                "count": len(self.problems)
            }
        if self.status != JobStatus.DONE:
            return ""
        return ngettext("%(count)s value", "%(count)s values", self.imported_count) % {
            "count": self.imported_count
        }
