from django.contrib import messages
from django.contrib.auth.mixins import PermissionRequiredMixin
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.views import View
from django.views.decorators.cache import never_cache
from django.views.generic import FormView, ListView

from core.services import form_submission_once
from core.views import passphrase_slip
from participants import services
from participants.encryption import UNDECRYPTABLE_MESSAGE
from participants.forms import (
    AuditSearchForm,
    ConsentFields,
    ParticipantFilterForm,
    PersonalDetailsForm,
    RegisterForm,
)
from participants.models import AuditAction, ConsentScope, Participant
from participants.selectors import answers_grid, audit_events, shows_swemwbs, with_taking_part


class ParticipantListView(PermissionRequiredMixin, ListView):
    """Coordinators and evaluators: the participants of their sites by code, filtered by
    group, status and consent. Names appear only on coordinator pages ("known as", for
    coordinators only)."""

    permission_required = "participants.view_participant"
    template_name = "participants/list.html"
    paginate_by = 50

    def get_queryset(self):
        self.filters = ParticipantFilterForm(self.request.GET)
        return (
            self.filters.apply(with_taking_part(Participant.objects.for_user(self.request.user)))
            .distinct()
            .order_by("code")
        )

    def get_context_data(self, **kwargs):
        return super().get_context_data(filters=self.filters, **kwargs)


@method_decorator(never_cache, name="dispatch")
class RegisterView(PermissionRequiredMixin, FormView):
    """Coordinators: register someone with their consent, in one go, in their site (a
    required choice for someone with several)."""

    permission_required = "participants.add_participant"
    form_class = RegisterForm
    template_name = "participants/register.html"

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user}

    def form_valid(self, form):
        made = {}  # what this POST made; nothing if the form was sent before
        try:
            url, created = form_submission_once(
                token=form.cleaned_data["form_token"],
                user=self.request.user,
                send=lambda: self.register(form, made),
            )
        except ValidationError as error:
            form.add_error(None, error)
            return self.form_invalid(form)
        if not created:
            messages.info(self.request, _("This form was already sent: here is who it registered."))
            return redirect(url)
        participant = made["participant"]
        messages.success(self.request, _("Registered as %(code)s.") % {"code": participant.code})
        if "passphrase" in made:
            return passphrase_slip(
                self.request, account=participant.user, passphrase=made["passphrase"]
            )
        return redirect(url)

    def register(self, form, made: dict) -> str:
        data = form.cleaned_data
        made["participant"] = participant = services.participant_register(
            by=self.request.user,
            profile=form.profile,
            personal=form.personal,
            sheet=data["sheet"],
            scopes=data["scopes"],
            method=data["method"],
            interpreter_language=data["interpreter_language"],
            given_on=data["given_on"],
            site=data.get("site"),
        )
        if data["sign_in"]:
            made["passphrase"] = services.participant_sign_in_issue(
                participant=participant, by=self.request.user
            )
        return reverse("participants:participant-detail", args=[participant.code])


class ParticipantMixin(PermissionRequiredMixin):
    """A participant of the sites this person reaches, by code: any other is a 404, to read
    or to change (after the permission check, so the signed-out are sent to sign in)."""

    def dispatch(self, request, *args, **kwargs):
        if not self.has_permission():
            return self.handle_no_permission()
        participants = Participant.objects.for_user(request.user).select_related("site")
        self.participant = get_object_or_404(participants, code=kwargs["code"])
        return super().dispatch(request, *args, **kwargs)


def detail_context(participant: Participant, consent_form=None) -> dict:
    return {
        "participant": participant,
        "consents": participant.consents.select_related("sheet").order_by("-given_on", "scope"),
        "consent_form": consent_form or ConsentFields(),
        "grid": answers_grid(participant),
        "swemwbs_notice": shows_swemwbs(participant),
    }


class ParticipantDetailView(ParticipantMixin, View):
    """Coordinators: a participant by code — profile, consent history, what they added."""

    permission_required = "participants.change_participant"

    def get(self, request, code):
        services.audit_record(
            actor=request.user,
            action=AuditAction.READ,
            subject="consent and answers",
            participant=self.participant,
        )
        return render(request, "participants/detail.html", detail_context(self.participant))


@method_decorator(never_cache, name="dispatch")
class PersonalDetailsView(ParticipantMixin, FormView):
    """Coordinators only: name and contact details. Every view and change is audited."""

    permission_required = "participants.view_personaldetails"
    form_class = PersonalDetailsForm
    template_name = "participants/personal.html"
    details = None

    def get_initial(self):
        self.details = services.personal_details_read(
            participant=self.participant, by=self.request.user
        )
        if self.details is None or self.details.undecryptable:
            return {}
        return {name: getattr(self.details, name) for name in services.PERSONAL_FIELDS}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(participant=self.participant, **kwargs)
        if self.details is not None and self.details.undecryptable:
            context["undecryptable"] = UNDECRYPTABLE_MESSAGE
        return context

    def form_valid(self, form):
        try:
            services.personal_details_save(
                participant=self.participant, values=form.cleaned_data, by=self.request.user
            )
        except ValidationError as error:
            form.add_error(None, error)
            return self.form_invalid(form)
        messages.success(self.request, _("Personal details saved."))
        return redirect("participants:participant-detail", code=self.participant.code)


class ConsentGiveView(ParticipantMixin, View):
    """Coordinators: record more consent for a participant."""

    permission_required = "participants.add_consent"

    def post(self, request, code):
        form = ConsentFields(request.POST)
        if form.is_valid():
            try:
                services.consent_give(
                    participant=self.participant, by=request.user, **form.cleaned_data
                )
                messages.success(request, _("Consent recorded."))
                return redirect("participants:participant-detail", code=code)
            except ValidationError as error:
                form.add_error(None, error)
        return render(request, "participants/detail.html", detail_context(self.participant, form))


class ConsentWithdrawView(ParticipantMixin, View):
    """Coordinators: withdraw one scope of consent, dated today."""

    permission_required = "participants.change_consent"

    def post(self, request, code, scope):
        try:
            services.consent_withdraw(participant=self.participant, scope=scope, by=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Consent withdrawn."))
            if scope == ConsentScope.SHARE_ANONYMISED and self.participant.status == "withdrawn":
                messages.success(request, _("The anonymised answers kept for them are erased."))
        return redirect("participants:participant-detail", code=code)


class WithdrawView(ParticipantMixin, View):
    """Coordinators: withdraw a participant and erase what identifies them (confirm first)."""

    permission_required = "participants.change_participant"

    def get(self, request, code):
        return render(request, "participants/withdraw.html", {"participant": self.participant})

    def post(self, request, code):
        try:
            services.participant_withdraw(participant=self.participant, by=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect("participants:participant-detail", code=code)
        messages.success(
            request,
            _("%(code)s has withdrawn. Their personal details are erased.") % {"code": code},
        )
        return redirect("participants:participant-detail", code=code)


class AuditLogView(PermissionRequiredMixin, ListView):
    """Coordinators: who read or changed personal details, consent and answers, and when,
    for their sites (AuditEvent.objects.for_user)."""

    permission_required = "participants.view_auditevent"
    template_name = "participants/audit.html"
    paginate_by = 100

    def get_queryset(self):
        self.search = AuditSearchForm(self.request.GET)
        return audit_events(
            user=self.request.user,
            q=self.search.cleaned_data["q"] if self.search.is_valid() else "",
        )

    def get_context_data(self, **kwargs):
        return super().get_context_data(search=self.search, **kwargs)
