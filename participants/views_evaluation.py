"""Evaluation pages and downloads for coordinators and evaluators: the outcome summary, the
pseudonymised dataset and its data dictionary, and the network between participants.

Outside coordinators every count and mean over people is disclosure-controlled (DESIGN §6);
every download is written to the audit log.
"""

from django.contrib import messages
from django.contrib.auth.mixins import PermissionRequiredMixin
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
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
from core.sites import REACH, accounts_visible_to, scope_key
from core.spreadsheets import download
from participants import evaluation, networks, services
from participants.disclosure import (
    MIN_GROUP_FOR_MEAN,
    SUPPRESSED,
    sees_exact_numbers,
)
from participants.forms import DataAccessForm
from participants.instruments import SWEMWBS_NOTICE
from participants.models import AuditAction, DataAccessAgreement, Participant, TimePoint
from participants.services import audit_record

PERMISSION = "participants.view_participant"

# Colours keep 4.5:1 or more against white text and 3:1 against the white drawing; the
# letter in each circle tells the groups apart without colour.
GROUP_STYLES = {
    networks.TENANT: {"fill": "#1d5fa0", "marker": pgettext_lazy("network key: tenant", "T")},
    networks.SANCTUARY: {
        "fill": "#a33c00",
        "marker": pgettext_lazy("network key: person seeking sanctuary", "S"),
    },
    networks.OTHER: {"fill": "#505a5f", "marker": pgettext_lazy("network key: other", "O")},
}
KEY = [
    {"group": group, "label": networks.GROUP_LABELS[group], **style}
    for group, style in GROUP_STYLES.items()
]


def _csv_download(body: str, filename: str) -> HttpResponse:
    # A byte-order mark, so Excel reads the file as UTF-8.
    return download("\ufeff" + body, filename=filename, content_type="text/csv; charset=utf-8")


def evaluation_summary(user, *, exact: bool) -> dict:
    """The evaluation page's figures for the participants `user` reaches, computed once per
    change of answers or ties (core.computed)."""
    return computed(
        OUTCOMES,
        f"evaluation-summary:{scope_key(user)}:{exact}",
        lambda: evaluation.summary(exact=exact, participants=reached(user)),
    )


class EvaluationView(PermissionRequiredMixin, TemplateView):
    """Outcomes by time point and group, with the suppression rule explained."""

    permission_required = PERMISSION
    template_name = "participants/evaluation.html"

    def get_context_data(self, **kwargs):
        # Rendered once per change of answers or ties (core.computed.OUTCOMES) for this
        # person as they are now: their role, sites and data-access agreement are in the key,
        # and no one else is ever shown their copy (DESIGN §6).
        user = self.request.user
        exact = sees_exact_numbers(user)
        kept = PageFragments(
            self.request,
            scope=f"evaluation:{user.pk}:{user.role}:{exact}",
            versions=(OUTCOMES,),
            params=frozenset(),
            reads=(REACH, evaluation.FULL_DATASET),
        )
        full_dataset = kept.found[evaluation.FULL_DATASET.name]
        body = kept.get_or_set("body", lambda: self._body(exact=exact, full_dataset=full_dataset))
        return super().get_context_data(body=mark_safe(body), **kwargs)

    def _body(self, *, exact: bool, full_dataset: bool) -> str:
        context = {
            "summary": evaluation_summary(self.request.user, exact=exact),
            "exact": exact,
            "full_dataset": full_dataset,
            "suppressed": SUPPRESSED,
            "min_group": MIN_GROUP_FOR_MEAN,
            "swemwbs_notice": SWEMWBS_NOTICE,
        }
        body = render_to_string("participants/evaluation_body.html", context, self.request)
        return str(body)


@method_decorator(never_cache, name="dispatch")
class DatasetDownloadView(PermissionRequiredMixin, View):
    """The pseudonymised dataset as CSV; audited."""

    permission_required = PERMISSION

    def get(self, request):
        full = evaluation.sees_full_dataset(request.user)
        body = evaluation.dataset_csv(full=full, participants=reached(request.user))
        audit_record(
            actor=request.user,
            action=AuditAction.DOWNLOAD,
            subject="answers",
            detail="pseudonymised dataset" if full else "coarsened dataset",
        )
        variant = "" if full else "-coarsened"
        return _csv_download(body, f"cymuned-outcomes{variant}-{timezone.localdate():%Y-%m-%d}.csv")


@method_decorator(never_cache, name="dispatch")
class DataDictionaryDownloadView(PermissionRequiredMixin, View):
    """What each column of the dataset means, as CSV; audited like the dataset."""

    permission_required = PERMISSION

    def get(self, request):
        audit_record(
            actor=request.user,
            action=AuditAction.DOWNLOAD,
            subject="answers",
            detail="pseudonymised dataset: data dictionary",
        )
        return _csv_download(
            evaluation.data_dictionary_csv(), "cymuned-outcomes-data-dictionary.csv"
        )


def agreements_visible_to(user):
    """The agreements of the evaluators in a coordinator's sites (core.sites)."""
    return DataAccessAgreement.objects.filter(evaluator__in=accounts_visible_to(user))


def reached(user):
    """The participants whose outcomes this person sees: those of their sites (evaluators:
    the sites they were granted; core.sites)."""
    return Participant.objects.for_user(user)


def _network_figures(user, *, exact: bool) -> list[dict]:
    """The sociogram and measures at each time point, for the participants `user` reaches:
    computed once per change of answers or ties (core.computed)."""
    participants = reached(user)

    def compute() -> list[dict]:
        return [
            {
                "time_point": point,
                "drawing": networks.sociogram(
                    networks.participant_graph(time_point=point, participants=participants)
                ),
                "measures": networks.cohort_measures(
                    time_point=point, exact=exact, participants=participants
                ),
            }
            for point in (TimePoint.BASELINE, TimePoint.FOLLOW_UP)
        ]

    return computed(OUTCOMES, f"network:{scope_key(user)}:{exact}", compute)


def _network_panel(figures: dict) -> dict:
    drawing = figures["drawing"]
    for node in drawing["nodes"]:
        node.update(GROUP_STYLES[node["group"]], group_label=networks.GROUP_LABELS[node["group"]])
    share = drawing["bridging_share"]
    return {
        **figures,
        "label": TimePoint(figures["time_point"]).label,
        "bridging_percent": None if share is None else round(share * 100),
    }


class NetworkView(PermissionRequiredMixin, TemplateView):
    """Sociograms at baseline and follow-up, with tables as their accessible alternative."""

    permission_required = PERMISSION
    template_name = "participants/network.html"

    def get_context_data(self, **kwargs):
        # Drawn once per change of answers or ties (core.computed.OUTCOMES) for the people of
        # the same sites (REACH) who see numbers the same way: nothing on it is anyone's own.
        exact = sees_exact_numbers(self.request.user)
        body = PageFragments(
            self.request,
            scope=f"network:{exact}",
            versions=(OUTCOMES,),
            params=frozenset(),
            reads=(REACH,),
        ).get_or_set("body", lambda: self._body(exact=exact))
        return super().get_context_data(body=mark_safe(body), **kwargs)

    def _body(self, *, exact: bool) -> str:
        figures = _network_figures(self.request.user, exact=exact)
        context = {"panels": [_network_panel(f) for f in figures], "key": KEY, "exact": exact}
        return str(render_to_string("participants/network_body.html", context, self.request))


@method_decorator(never_cache, name="dispatch")
class DataAccessView(PermissionRequiredMixin, View):
    """Coordinators: which evaluators of their sites have a data-access agreement (and so
    download the full pseudonymised dataset), granting and ending them. Each grant and end
    is audited."""

    permission_required = "participants.add_dataaccessagreement"

    def get(self, request, form=None):
        agreements = agreements_visible_to(request.user).select_related(
            "evaluator", "granted_by", "revoked_by"
        )
        return render(
            request,
            "participants/data_access.html",
            {"form": form or DataAccessForm(user=request.user), "agreements": agreements},
        )

    def post(self, request):
        form = DataAccessForm(request.POST, user=request.user)
        if form.is_valid():
            try:
                services.data_access_grant(by=request.user, **form.cleaned_data)
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("Agreement recorded."))
                return redirect("participants:evaluation-access")
        return self.get(request, form=form)


class DataAccessRevokeView(PermissionRequiredMixin, View):
    """Coordinators: end an evaluator's data-access agreement (audited)."""

    permission_required = "participants.add_dataaccessagreement"

    def post(self, request, pk):
        agreement = get_object_or_404(agreements_visible_to(request.user), pk=pk)
        try:
            services.data_access_revoke(agreement=agreement, by=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Agreement ended."))
        return redirect("participants:evaluation-access")
