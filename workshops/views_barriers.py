"""Barriers participants name from their own page, and the facilitators' list of them to
accept (it becomes a barrier of the site) or decline (it is never published)."""

from django.contrib import messages
from django.contrib.auth.mixins import PermissionRequiredMixin
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import FormView

from core.forms import add_service_errors
from core.services import form_submission_once
from participants.models import Participant, ParticipantStatus
from workshops.forms import BarrierAcceptForm, BarrierProposalForm
from workshops.models import BarrierProposal, ProposalStatus
from workshops.services import (
    affects_default,
    barrier_proposal_accept,
    barrier_proposal_decline,
    barrier_propose,
)

MY_BARRIERS = "my-barriers"


class BarrierNameView(PermissionRequiredMixin, FormView):
    """Participants: name a barrier for the facilitators of their site. Sent twice (a double
    tap), it is named once."""

    permission_required = "workshops.add_barrier"
    form_class = BarrierProposalForm
    template_name = "workshops/barrier_name.html"

    def dispatch(self, request, *args, **kwargs):
        if not self.has_permission():
            return self.handle_no_permission()
        active = Participant.objects.exclude(status=ParticipantStatus.WITHDRAWN)
        self.participant = get_object_or_404(active, user=request.user)
        return super().dispatch(request, *args, **kwargs)

    def form_valid(self, form):
        fields = {key: form.cleaned_data[key] for key in ("title", "description", "kind")}

        def send() -> str:
            barrier_propose(participant=self.participant, fields=fields)
            return reverse("participants:me") + f"#{MY_BARRIERS}"

        try:
            url, created = form_submission_once(
                token=form.cleaned_data["form_token"], user=self.request.user, send=send
            )
        except ValidationError as error:
            add_service_errors(form, error)
            return self.form_invalid(form)
        if created:
            messages.success(
                self.request,
                _("Thank you. A facilitator of your project will look at it and may ask you more."),
            )
        return redirect(url)


def accept_form(proposal: BarrierProposal, data=None) -> BarrierAcceptForm:
    initial = {
        "title": proposal.title,
        "kind": proposal.kind,
        "affects": affects_default(proposal.participant),
    }
    return BarrierAcceptForm(data, initial=initial, prefix=f"p{proposal.pk}")


class BarrierProposalListView(PermissionRequiredMixin, View):
    """Facilitators and coordinators: the barriers participants of their sites named, waiting
    to be accepted or declined, and the last ones decided."""

    permission_required = "workshops.change_barrier"

    def get(self, request, failed=None):
        proposals = BarrierProposal.objects.for_user(request.user).select_related("participant")
        waiting = list(proposals.waiting())
        forms = {
            p.pk: (failed if failed and failed.prefix == f"p{p.pk}" else accept_form(p))
            for p in waiting
        }
        context = {
            "waiting": [(p, forms[p.pk]) for p in waiting],
            "decided": proposals.exclude(status=ProposalStatus.WAITING).order_by("-decided_at")[
                :20
            ],
        }
        return render(request, "workshops/barrier_proposals.html", context)


class ProposalMixin(PermissionRequiredMixin):
    """A named barrier of the sites this person reaches, by id: any other is a 404."""

    permission_required = "workshops.change_barrier"

    def dispatch(self, request, *args, **kwargs):
        if not self.has_permission():
            return self.handle_no_permission()
        proposals = BarrierProposal.objects.for_user(request.user).select_related("participant")
        self.proposal = get_object_or_404(proposals, pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)


class BarrierProposalAcceptView(ProposalMixin, View):
    def post(self, request, pk):
        form = accept_form(self.proposal, request.POST)
        if not form.is_valid():
            return BarrierProposalListView(request=request).get(request, failed=form)
        try:
            barrier_proposal_accept(
                proposal=self.proposal, fields=form.cleaned_data, by=request.user
            )
        except ValidationError as error:
            if not hasattr(error, "error_dict"):
                messages.error(request, " ".join(error.messages))
                return redirect("workshops:barrier-proposals")
            add_service_errors(form, error)
            return BarrierProposalListView(request=request).get(request, failed=form)
        messages.success(
            request,
            _("“%(title)s” is now a barrier of your project.")
            % {"title": form.cleaned_data["title"]},
        )
        return redirect("workshops:barrier-proposals")


class BarrierProposalDeclineView(ProposalMixin, View):
    def post(self, request, pk):
        try:
            barrier_proposal_decline(proposal=self.proposal, by=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(
                request,
                _("“%(title)s” is declined. It will not be published.")
                % {"title": self.proposal.title},
            )
        return redirect("workshops:barrier-proposals")
