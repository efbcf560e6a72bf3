from django.contrib.auth.mixins import PermissionRequiredMixin
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.template.loader import render_to_string
from django.utils.decorators import method_decorator
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext
from django.views import View
from django.views.decorators.cache import never_cache
from django.views.generic import DetailView, FormView, TemplateView

from assets.models import Area, AreaLevel
from core.jobs import job_is_stale, jobs_stale_fail
from core.pagecache import PageFragments
from indicators import selectors, services
from indicators.forms import ValueUploadForm
from indicators.models import Indicator, IndicatorImport, SummaryRun
from indicators.services import OPTIONAL, REQUIRED
from indicators.statistics import Comparison
from indicators.versions import INDICATORS_VERSION
from participants.disclosure import sees_exact_numbers

PROFILE_PARAMS = frozenset({"compare", "indicator"})
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
        # The whole page but its frame, rendered once per change of what it shows
        # (indicators.versions: the areas too, so an area that is gone is a 404 again) for
        # each language, URL and way of showing counts of people (DESIGN §6: exact only for
        # coordinators); only the scripts' nonce is the request's own.
        exact = sees_exact_numbers(self.request.user)
        kept = PageFragments(
            self.request,
            scope=f"area-profile:{'exact' if exact else 'shown'}",
            versions=(INDICATORS_VERSION,),
            params=PROFILE_PARAMS,
        ).get_or_set("page", lambda: self._page(code))
        return super().get_context_data(kept={name: mark_safe(part) for name, part in kept.items()})

    def _page(self, code: str) -> dict:
        area = get_object_or_404(
            Area.objects.select_related("parent").defer("boundary", "parent__boundary"),
            code=code.upper(),
        )
        figures = self._figures(area)
        parts = {"area": area, "kept": figures}
        return {
            "title": format_html("{} – {}", area.name, gettext("Area profile")),
            "head": render_to_string("indicators/profile_head.html", parts, self.request),
            "body": figures["body"],
            "scripts": render_to_string("indicators/profile_scripts.html", parts, self.request),
        }

    def _figures(self, area) -> dict:
        which = "parent" if self.request.GET.get("compare") == "parent" else "wales"
        comparator = selectors.comparator_of(area, which)
        rows = selectors.area_profile(area=area, comparator=comparator)
        mapped = self._mapped(rows)
        chart = chart_of(rows)
        mapped_areas = selectors.choropleth(area=area, indicator=mapped) if mapped else None
        context = {
            "area": area,
            "comparator": comparator,
            "which": which,
            "rows": rows,
            "chart": chart,
            "mapped": mapped,
            "mapped_areas": mapped_areas,
            "summary": selectors.area_summary_shown(area=area, user=self.request.user),
            "illustrative": any(row.value and row.value.illustrative for row in rows),
            "better": Comparison,
        }
        return {
            "body": render_to_string("indicators/profile_body.html", context, self.request),
            "chart": bool(chart["labels"]),
            "map": bool(mapped_areas and mapped_areas["areas"]),
            "comparator": comparator.name if comparator else "",
        }

    def _mapped(self, rows) -> Indicator | None:
        asked = self.request.GET.get("indicator", "assets-per-1000")
        shown = [row.indicator for row in rows]
        return next((indicator for indicator in shown if indicator.code == asked), None) or (
            shown[0] if shown else None
        )


# --- Jobs: the area summaries worked out again, indicator values imported -------------------

HISTORY_SHOWN = 10


def _fresh(model, job):
    """The job as it is now; one whose worker stopped is failed first, with "Try again"."""
    if job_is_stale(job=job):
        jobs_stale_fail(model=model, job_id=job.pk)
        job.refresh_from_db()
    return job


@method_decorator(never_cache, name="dispatch")
class SummariesView(PermissionRequiredMixin, TemplateView):
    """Coordinators and evaluators: when the summaries were last worked out, a button to do
    it again now, and the runs so far (nightly ones have no one who asked)."""

    permission_required = "indicators.recompute_areasummary"
    template_name = "indicators/summaries.html"

    def get_context_data(self, **kwargs):
        runs = SummaryRun.objects.select_related("requested_by")[:HISTORY_SHOWN]
        return super().get_context_data(jobs=runs, **kwargs)

    def post(self, request):
        job = services.summary_run_start(requested_by=request.user)
        return redirect(job.get_absolute_url())


@method_decorator(never_cache, name="dispatch")
class SummaryRunView(PermissionRequiredMixin, DetailView):
    permission_required = "indicators.recompute_areasummary"
    model = SummaryRun
    template_name = "indicators/summary_run.html"
    context_object_name = "job"

    def get_object(self, queryset=None):
        return _fresh(SummaryRun, super().get_object(queryset))


class SummaryRunRetryView(PermissionRequiredMixin, View):
    permission_required = "indicators.recompute_areasummary"

    def post(self, request, pk):
        job = get_object_or_404(SummaryRun.objects.only("pk"), pk=pk)
        services.summary_run_retry(job_id=job.pk)
        return redirect(job.get_absolute_url())


@method_decorator(never_cache, name="dispatch")
class ValueUploadView(PermissionRequiredMixin, FormView):
    """Coordinators: upload a CSV of indicator values (the columns are on the page)."""

    permission_required = "indicators.add_indicatorvalue"
    form_class = ValueUploadForm
    template_name = "indicators/value_upload.html"
    extra_context = {"columns": [*REQUIRED, *OPTIONAL]}

    def get_context_data(self, **kwargs):
        history = IndicatorImport.objects.defer("content").select_related("requested_by")
        return super().get_context_data(jobs=history[:HISTORY_SHOWN], **kwargs)

    def form_valid(self, form):
        try:
            job = services.indicator_import_start(
                requested_by=self.request.user,
                file_name=form.cleaned_data["file_name"],
                content=form.cleaned_data["file"],
            )
        except ValidationError as error:
            form.add_error("file", error)
            return self.form_invalid(form)
        return redirect(job.get_absolute_url())


@method_decorator(never_cache, name="dispatch")
class ValueImportView(PermissionRequiredMixin, DetailView):
    permission_required = "indicators.add_indicatorvalue"
    queryset = IndicatorImport.objects.defer("content")
    template_name = "indicators/value_import.html"
    context_object_name = "job"

    def get_object(self, queryset=None):
        return _fresh(IndicatorImport, super().get_object(queryset))


class ValueImportRetryView(PermissionRequiredMixin, View):
    permission_required = "indicators.add_indicatorvalue"

    def post(self, request, pk):
        job = get_object_or_404(IndicatorImport.objects.only("pk"), pk=pk)
        services.indicator_import_retry(job_id=job.pk)
        return redirect(job.get_absolute_url())
