from django.shortcuts import get_object_or_404
from django.views.generic import TemplateView

from assets.models import Area, AreaLevel
from indicators import selectors
from indicators.models import Indicator
from indicators.statistics import Comparison

SCALE_LIMIT = 3  # the spider chart draws ±3 standard deviations; further out sits on the rim


class AreaListView(TemplateView):
    """Every area with a profile, as a way in: Wales, the programme's sites and the local
    authorities (whose pages list their smaller areas). Public: area figures only."""

    template_name = "indicators/areas.html"

    def get_context_data(self, **kwargs):
        levels = [AreaLevel.COUNTRY, AreaLevel.SITE, AreaLevel.LOCAL_AUTHORITY]
        areas = Area.objects.filter(level__in=levels).order_by("name_en").defer("boundary")
        by_level = {level: [area for area in areas if area.level == level] for level in levels}
        return super().get_context_data(by_level=by_level, **kwargs)


def _clipped(scale: float | None) -> float | None:
    return None if scale is None else max(-SCALE_LIMIT, min(SCALE_LIMIT, round(scale, 2)))


def chart_of(rows: list[selectors.ProfileRow]) -> dict:
    drawn = [row for row in rows if row.scale is not None]
    return {
        "labels": [row.indicator.name for row in drawn],
        "area": [_clipped(row.scale) for row in drawn],
        "comparator": [_clipped(row.comparator_scale) for row in drawn],
        "limit": SCALE_LIMIT,
    }


class AreaProfileView(TemplateView):
    """One area's indicators against Wales or its parent area: a spider chart, a table with
    95% intervals and the comparison, and one indicator across its smaller areas."""

    template_name = "indicators/profile.html"

    def get_context_data(self, code, **kwargs):
        area = get_object_or_404(Area.objects.select_related("parent"), code=code.upper())
        which = "parent" if self.request.GET.get("compare") == "parent" else "wales"
        comparator = selectors.comparator_of(area, which)
        rows = selectors.area_profile(area=area, comparator=comparator)
        mapped = self._mapped(rows)
        return super().get_context_data(
            area=area,
            comparator=comparator,
            which=which,
            rows=rows,
            chart=chart_of(rows),
            mapped=mapped,
            mapped_areas=selectors.choropleth(area=area, indicator=mapped) if mapped else None,
            summary=selectors.area_summary_shown(area=area, user=self.request.user),
            illustrative=any(row.value and row.value.illustrative for row in rows),
            better=Comparison,
            **kwargs,
        )

    def _mapped(self, rows) -> Indicator | None:
        asked = self.request.GET.get("indicator", "assets-per-1000")
        shown = [row.indicator for row in rows]
        return next((indicator for indicator in shown if indicator.code == asked), None) or (
            shown[0] if shown else None
        )
