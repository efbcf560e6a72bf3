"""Partner organisations and their API keys: coordinators issue and revoke keys (each shown
once); a partner sees how their organisation's keys are used."""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin, PermissionRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.views import View
from django.views.decorators.cache import never_cache
from django.views.generic import DetailView, FormView, ListView, TemplateView

from .api_keys import api_key_issue, api_key_revoke, organisation_create
from .forms import ApiKeyIssueForm, OrganisationForm
from .models import ApiKey, Organisation, Role
from .services import form_submission_once


class ManageKeysMixin(PermissionRequiredMixin):
    permission_required = "core.manage_api_keys"


class OrganisationListView(ManageKeysMixin, ListView):
    """Coordinators: partner organisations, with their people and working keys."""

    template_name = "core/partners/organisation_list.html"
    paginate_by = 50

    def get_queryset(self):
        return Organisation.objects.annotate(
            member_count=Count("members", distinct=True),
            key_count=Count("api_keys", filter=Q(api_keys__revoked_at__isnull=True), distinct=True),
        ).order_by("name", "pk")


class OrganisationCreateView(ManageKeysMixin, FormView):
    """Coordinators: add a partner organisation."""

    form_class = OrganisationForm
    template_name = "core/partners/organisation_form.html"

    def form_valid(self, form):
        organisation = organisation_create(name=form.cleaned_data["name"], by=self.request.user)
        return redirect("core:organisation-detail", pk=organisation.pk)


class OrganisationDetailView(ManageKeysMixin, DetailView):
    """Coordinators: an organisation's keys (never their secrets) and its partner sign-ins."""

    model = Organisation
    template_name = "core/partners/organisation_detail.html"
    context_object_name = "organisation"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            keys=self.object.api_keys.select_related("created_by"),
            members=self.object.members.order_by("username"),
            **kwargs,
        )


@method_decorator(never_cache, name="dispatch")
class ApiKeyIssueView(ManageKeysMixin, FormView):
    """Coordinators: issue a key; its secret is on the page that answers the POST, only."""

    form_class = ApiKeyIssueForm
    template_name = "core/partners/api_key_form.html"

    def get_context_data(self, **kwargs):
        organisation = get_object_or_404(Organisation, pk=self.kwargs["pk"])
        return super().get_context_data(organisation=organisation, **kwargs)

    def form_valid(self, form):
        organisation = get_object_or_404(Organisation, pk=self.kwargs["pk"])
        made = {}  # what this POST issued; nothing if the form was sent before

        def send() -> str:
            made["key"], made["secret"] = api_key_issue(
                organisation=organisation,
                by=self.request.user,
                name=form.cleaned_data["name"],
                scope=form.cleaned_data["scope"],
            )
            return reverse("core:organisation-detail", args=[organisation.pk])

        try:
            url, created = form_submission_once(
                token=form.cleaned_data["form_token"], user=self.request.user, send=send
            )
        except ValidationError as error:
            form.add_error(None, error)
            return self.form_invalid(form)
        if not created:
            # A double tap: the first tap issued the key, and its secret was on the page that
            # answered it, which this one replaces; it cannot be shown again.
            messages.warning(
                self.request,
                _(
                    "This form was already sent: it issued one key, listed below. Its secret "
                    "was shown only once. If you did not copy it, revoke the key and issue a "
                    "new one."
                ),
            )
            return redirect(url)
        context = {"key": made["key"], "secret": made["secret"]}
        return render(self.request, "core/partners/api_key_issued.html", context)


class ApiKeyRevokeView(ManageKeysMixin, View):
    """Coordinators: confirm, then revoke a key."""

    def get(self, request, pk):
        key = get_object_or_404(ApiKey.objects.select_related("organisation"), pk=pk)
        return render(request, "core/partners/api_key_revoke.html", {"key": key})

    def post(self, request, pk):
        key = get_object_or_404(ApiKey.objects.select_related("organisation"), pk=pk)
        api_key_revoke(key=key, by=request.user)
        messages.success(request, _("The key %(prefix)s… is revoked.") % {"prefix": key.prefix})
        return redirect("core:organisation-detail", pk=key.organisation_id)


class PartnerKeysView(LoginRequiredMixin, TemplateView):
    """Partners: their organisation's keys and when each was last used (read-only)."""

    template_name = "core/partners/partner_keys.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        if user.role != Role.PARTNER:
            raise PermissionDenied
        organisation = user.organisation
        keys = organisation.api_keys.all() if organisation else ApiKey.objects.none()
        return super().get_context_data(organisation=organisation, keys=keys, **kwargs)
