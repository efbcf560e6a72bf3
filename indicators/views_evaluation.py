"""The evaluation report for coordinators and evaluators: a page, and the same report as CSV,
XLSX and PDF (indicators.evaluation, indicators.evaluation_files). Evaluators see only the
sites they were granted (core.sites); outside coordinators every figure is
disclosure-controlled (participants.disclosure)."""

from django.contrib.auth.mixins import PermissionRequiredMixin
from django.http import Http404
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy
from django.views import View
from django.views.decorators.cache import never_cache
from django.views.generic import TemplateView

from core.computed import OUTCOMES, computed
from core.pagecache import PageFragments
from core.sites import REACH, scope_key
from core.spreadsheets import download
from indicators import evaluation, evaluation_files
from indicators.charts import line_svg, sociogram_svg
from participants import networks
from participants.disclosure import MIN_GROUP_FOR_MEAN, SUPPRESSED, sees_exact_numbers
from participants.instruments import SWEMWBS_NOTICE
from participants.models import Participant

PERMISSION = "participants.view_participant"

# As on the network page: colours 4.5:1 against white text, and a letter for each group.
GROUP_STYLES = {
    networks.TENANT: {"fill": "#1d5fa0", "marker": pgettext_lazy("network key: tenant", "T")},
    networks.SANCTUARY: {
        "fill": "#a33c00",
        "marker": pgettext_lazy("network key: person seeking sanctuary", "S"),
    },
    networks.OTHER: {"fill": "#505a5f", "marker": pgettext_lazy("network key: other", "O")},
}


def _sociogram_description(panel: dict) -> str:
    drawing = panel["drawing"]
    if panel["bridging_percent"] is None:
        return _("Participants: %(nodes)s. Ties between participants: none.") % {
            "nodes": drawing["node_count"]
        }
    return _(
        "Participants: %(nodes)s. Ties between participants: %(edges)s. Ties that bridge "
        "tenants and people seeking sanctuary: %(percent)s%%."
    ) % {
        "nodes": drawing["node_count"],
        "edges": drawing["edge_count"],
        "percent": panel["bridging_percent"],
    }


def _charts(report) -> list[dict]:
    return [
        {
            "instrument": instrument,
            "charts": [
                line_svg(
                    chart, title=_("Mean by time point: %(measure)s") % {"measure": chart.title}
                )
                for chart in instrument.charts
            ],
        }
        for instrument in report.instruments
    ]


def _sociograms(report) -> list[dict]:
    return [
        {
            **panel,
            "svg": sociogram_svg(
                panel["drawing"],
                title=_("Network between participants at %(time_point)s")
                % {"time_point": panel["label"]},
                description=_sociogram_description(panel),
                styles=GROUP_STYLES,
            )
            if panel["drawing"]["node_count"]
            else "",
        }
        for panel in report.sociograms
    ]


def report_context(user) -> dict:
    """What the page and the PDF show: the report of the participants `user` reaches, with
    its charts drawn as SVG. The report is computed once per change of answers or ties
    (core.computed), per reach and exactness."""
    exact = sees_exact_numbers(user)
    report = computed(
        OUTCOMES,
        f"evaluation-report:{scope_key(user)}:{exact}",
        lambda: evaluation.report(participants=Participant.objects.for_user(user), exact=exact),
    )
    return {
        "report": report,
        "instruments": _charts(report),
        "sociograms": _sociograms(report),
        "key": [
            {"label": networks.GROUP_LABELS[group], **style}
            for group, style in GROUP_STYLES.items()
        ],
        "exact": exact,
        "suppressed": SUPPRESSED,
        "min_group": MIN_GROUP_FOR_MEAN,
        "swemwbs_notice": SWEMWBS_NOTICE,
        "generated": timezone.localtime(),
    }


@method_decorator(never_cache, name="dispatch")
class EvaluationReportView(PermissionRequiredMixin, TemplateView):
    """Every instrument by time point and group, the change from baseline to follow-up,
    network measures and sociograms, with charts and their tables, and the downloads."""

    permission_required = PERMISSION
    template_name = "indicators/evaluation.html"

    def get_context_data(self, **kwargs):
        # Drawn once per change of answers or ties (core.computed.OUTCOMES) for the people of
        # the same sites (REACH) who see numbers the same way: nothing on it is anyone's own.
        exact = sees_exact_numbers(self.request.user)
        body = PageFragments(
            self.request,
            scope=f"evaluation-report:{exact}",
            versions=(OUTCOMES,),
            params=frozenset(),
            reads=(REACH,),
        ).get_or_set("body", self._body)
        return super().get_context_data(body=mark_safe(body), **kwargs)

    def _body(self) -> str:
        context = report_context(self.request.user)
        return str(render_to_string("indicators/evaluation_body.html", context, self.request))


FORMATS = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pdf": "application/pdf",
}


@method_decorator(never_cache, name="dispatch")
class EvaluationReportDownloadView(PermissionRequiredMixin, View):
    """The report as CSV (every table one after another), XLSX (a sheet each, and notes) or
    PDF (with the charts)."""

    permission_required = PERMISSION

    def get(self, request, extension):
        if extension not in FORMATS:
            raise Http404
        context = report_context(request.user)
        if extension == "csv":
            # A byte-order mark, so Excel reads the file as UTF-8.
            body = "\ufeff" + evaluation_files.report_csv(context["report"])
        elif extension == "xlsx":
            body = evaluation_files.report_xlsx(context["report"])
        else:
            body = evaluation_files.report_pdf({**context, "request": request})
        name = f"cymuned-evaluation-report-{timezone.localdate():%Y-%m-%d}.{extension}"
        return download(body, filename=name, content_type=FORMATS[extension])
