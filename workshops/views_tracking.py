"""Following up workshops: barriers on the shared map, the common ground between the two
groups, the action tracker and a workshop's report (page, CSV, PDF).

Permissions: the barrier layer and common ground are for anyone signed in with a role
(core.roles.RoleRequiredMixin); the tracker needs workshops.view_action (coordinators and
facilitators) and changing an action workshops.change_action, and both are scoped by
Action.objects.run_by (a facilitator lists and changes only the actions agreed at workshops
they run; anyone else's is a 404); a report needs
workshops.view_workshop and is scoped by Workshop.objects.run_by (a facilitator sees only the
workshops they run; anyone else's is a 404).
"""

from itertools import groupby

from django.contrib import messages
from django.contrib.auth.mixins import PermissionRequiredMixin
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.utils.safestring import mark_safe
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views import View
from django.views.decorators.cache import never_cache
from django.views.generic import DetailView, TemplateView

from assets.maps import LAYER_VERSION
from core.filters import bad_filters
from core.forms import add_service_errors
from core.pagecache import PageFragments
from core.roles import RoleRequiredMixin
from core.sites import REACH
from core.spreadsheets import csv_download, download
from participants.disclosure import sees_exact_numbers
from workshops.filters import ActionFilterSet, BarrierFilterSet
from workshops.forms_tracking import ActionStatusForm
from workshops.models import Action, Affects, Barrier, BarrierKind, Workshop
from workshops.selectors import (
    OPEN_ACTIONS,
    barrier_layer,
    barrier_list,
    common_ground,
    open_actions,
    report_rows,
    workshop_report,
)
from workshops.services import action_status_change, is_overdue
from workshops.versions import WORKSHOPS_VERSION
from workshops.views import workshop_tabs

# --- Barriers on the map ---------------------------------------------------------------------


class BarrierLayerView(RoleRequiredMixin, View):
    """Current barriers with a place, of the sites the person reaches (core.sites), in a
    bounding box (?bbox=west,south,east,north) and filtered by ?kind=, ?affects=, ?area= and
    ?status=, as lean GeoJSON; 400 with each filter's errors when one is not right."""

    def get(self, request):
        filters = BarrierFilterSet(request.GET, queryset=Barrier.objects.for_user(request.user))
        if not filters.is_valid():
            return bad_filters(filters)
        return HttpResponse(barrier_layer(filters.qs), content_type="application/geo+json")


class BarrierLayerOptionsView(RoleRequiredMixin, View):
    """What static/js/barrier-layer.js needs to draw its controls, legend and pop-ups, in the
    active language: the layer's address, the filter choices and the words."""

    def get(self, request):
        return JsonResponse(
            {
                "layerUrl": reverse("workshops:barrier-layer"),
                "listUrl": reverse("workshops:common-ground") + "#barriers"
                if getattr(request.user, "role", None)
                else None,
                "kinds": BarrierKind.choices,
                "affects": Affects.choices,
                "labels": {
                    "heading": _("Barriers on the map"),
                    "show": _("Show barriers"),
                    "kind": _("Kind of barrier"),
                    "allKinds": _("All kinds"),
                    "affects": _("Who it affects"),
                    "anyone": _("Either group"),
                    "legend": _("Barrier: something in the way, named at a workshop"),
                    "kindLabel": _("Kind"),
                    "affectsLabel": _("Affects"),
                    "more": _("See it in the list of barriers"),
                    "list": _("List of barriers"),
                    "countOne": _("1 barrier on the map in this view"),
                    "countMany": _("%(count)s barriers on the map in this view"),
                },
            }
        )


# --- Common ground ---------------------------------------------------------------------------


# What common ground's list may be filtered by and still be kept (a map's box is not).
COMMON_GROUND_PARAMS = frozenset({"kind", "affects", "area", "status"})


class CommonGroundView(RoleRequiredMixin, TemplateView):
    """What tenants and people seeking sanctuary share, and every current barrier as a list
    (the alternative to the barrier layer)."""

    template_name = "workshops/common_ground.html"

    def get_context_data(self, **kwargs):
        # Rendered once per change of the workshops or the published assets it reads
        # (workshops.versions, assets.maps.LAYER_VERSION) for this person as they are now:
        # their role and sites (REACH) are in the key, and no one else is ever shown their copy.
        user = self.request.user
        body = PageFragments(
            self.request,
            scope=f"common-ground:{user.pk}:{getattr(user, 'role', '')}",
            versions=(WORKSHOPS_VERSION, LAYER_VERSION),
            params=COMMON_GROUND_PARAMS,
            reads=(REACH,),
        ).get_or_set("body", self._body)
        return super().get_context_data(body=mark_safe(body), **kwargs)

    def _body(self) -> str:
        user = self.request.user
        exact = sees_exact_numbers(user)
        filters = BarrierFilterSet(self.request.GET, queryset=Barrier.objects.for_user(user))
        context = {
            **common_ground(user=user, exact=exact),
            "barrier_list": barrier_list(filters.qs),
            "filters": filters.form.cleaned_data,
            "filter_form": filters.form,
            "kinds": BarrierKind.choices,
            "affects_choices": Affects.choices,
            "exact": exact,
        }
        return str(render_to_string("workshops/common_ground_body.html", context, self.request))


# --- The action tracker ----------------------------------------------------------------------

# How the tracker groups its cards when sorted by owner or status: (group key, heading).
GROUPINGS = {
    "owner": (lambda action: action.owner.lower(), lambda action: action.owner),
    "status": (lambda action: action.status, lambda action: action.get_status_display()),
}


def _cards(actions, sort: str, bound: ActionStatusForm | None) -> list[dict]:
    """Actions as cards with their form (the submitted one, errors and all, where it is one
    of them), under a heading per owner or status when sorted that way."""
    rows = [
        {
            "action": action,
            "overdue": is_overdue(action),
            "form": bound
            if bound and bound.prefix == f"action-{action.pk}"
            else ActionStatusForm.for_action(action),
        }
        for action in actions
    ]
    if sort not in GROUPINGS:
        return [{"heading": None, "rows": rows}]
    key, heading = GROUPINGS[sort]
    groups = [list(group) for _k, group in groupby(rows, key=lambda row: key(row["action"]))]
    return [{"heading": heading(group[0]["action"]), "rows": group} for group in groups]


class ActionTrackerView(PermissionRequiredMixin, TemplateView):
    """Coordinators (every open action) and facilitators (those agreed at workshops they
    run): open actions, sortable by due date, owner or
    status (?sort=), overdue ones tagged, each with its history and a status-change form."""

    permission_required = "workshops.view_action"
    template_name = "workshops/actions.html"
    bound_form = None

    def get_context_data(self, **kwargs):
        filters = ActionFilterSet(self.request.GET, queryset=open_actions(user=self.request.user))
        return super().get_context_data(
            groups=_cards(filters.qs, filters.order, self.bound_form),
            sort=filters.order,
            filter_form=filters.form,
            form=self.bound_form,
            **kwargs,
        )


class ActionUpdateView(ActionTrackerView):
    """POST only: move an open action on, with a note of what happened. Without a note the
    tracker comes back with the error and nothing changes. Someone else's action is a 404."""

    permission_required = "workshops.change_action"
    http_method_names = ["post"]

    def post(self, request, pk):
        actions = Action.objects.run_by(request.user).filter(status__in=OPEN_ACTIONS)
        action = get_object_or_404(actions, pk=pk)
        form = ActionStatusForm.for_action(action, data=request.POST)
        if form.is_valid():
            try:
                action_status_change(action=action, by=request.user, **form.cleaned_data)
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("Action updated: %(title)s") % {"title": action})
                return redirect(reverse("workshops:action-tracker") + f"#action-{action.pk}")
        self.bound_form = form
        return self.render_to_response(self.get_context_data())


# --- A workshop's report ---------------------------------------------------------------------


def _csv_download(report: dict, filename: str) -> HttpResponse:
    return csv_download(report_rows(report), filename=f"{filename}.csv")


def _pdf_download(html: str, filename: str) -> HttpResponse:
    # Imported here: WeasyPrint takes a second to load, and only this download needs it.
    from weasyprint import HTML
    from weasyprint.urls import URLFetcher

    # No protocol is allowed, so nothing outside the document can be fetched.
    pdf = HTML(string=html, url_fetcher=URLFetcher(allowed_protocols=())).write_pdf()
    return download(pdf, filename=f"{filename}.pdf", content_type="application/pdf")


@method_decorator(never_cache, name="dispatch")
class WorkshopReportView(PermissionRequiredMixin, DetailView):
    """Coordinators, and facilitators for the workshops they run: the report as a page,
    ?format=csv or ?format=pdf. Counts of people are disclosure-controlled outside
    coordinators."""

    permission_required = "workshops.view_workshop"
    template_name = "workshops/report.html"
    context_object_name = "workshop"

    def get_queryset(self):
        return (
            Workshop.objects.run_by(self.request.user)
            .select_related("venue")
            .prefetch_related("facilitators")
        )

    def get_context_data(self, **kwargs):
        exact = sees_exact_numbers(self.request.user)
        return super().get_context_data(
            report=workshop_report(self.object, exact=exact),
            tabs=workshop_tabs(self.object, "report"),
            exact=exact,
            **kwargs,
        )

    def render_to_response(self, context, **kwargs):
        fmt = self.request.GET.get("format", "")
        filename = "-".join(
            filter(None, ["workshop", str(self.object.pk), slugify(self.object.title)[:40]])
        )
        if fmt == "csv":
            return _csv_download(context["report"], filename)
        if fmt == "pdf":
            html = render_to_string("workshops/report_pdf.html", context, self.request)
            return _pdf_download(html, filename)
        if fmt:
            raise Http404("No such report format.")
        return super().render_to_response(context, **kwargs)
