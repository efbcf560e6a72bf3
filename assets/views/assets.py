import json

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin, PermissionRequiredMixin
from django.core.exceptions import ValidationError
from django.db.models import Exists, OuterRef, Value
from django.http import Http404
from django.middleware.csrf import get_token
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import DetailView, FormView, ListView

from assets.forms import AssetEditForm, AssetForm, AssetSubmitForm, participants_for_recording
from assets.maps import location_config, picker_config
from assets.models import Asset, AssetEndorsement, AssetSource, AssetStatus, WelcomingTo
from assets.selectors import AssetReader, asset_reader, endorsements_shown, with_endorsements
from assets.services.assets import (
    asset_create,
    asset_submission_change,
    asset_submission_withdraw,
    asset_update,
    endorsement_set,
)
from assets.views.map import MapAccessMixin
from core.forms import OneTimeForm, add_service_errors
from core.languages import language_name
from core.models import FormSubmission, in_project
from core.pagecache import NONCE_MARK, kept_get, kept_set
from core.release import release_token
from core.services import EditConflict, form_submission_once, version_of
from participants.disclosure import sees_exact_numbers
from participants.models import Participant

# Where the reader's own "I use or value this" button goes in a kept page.
ENDORSE_MARK = "__asset-endorse-form__"
CSRF_MARK = "__asset-endorse-csrf__"


class AssetDetailView(MapAccessMixin, DetailView):
    """Anyone who may see the map: a published asset (or one's own submission; moderators
    also every asset of their sites).

    Inside the project every published asset's page is the same for everyone who does not
    moderate (who see its areas and an Edit button): it is kept per asset, language and
    version of the published assets and of the asset rows (core.localmemo), and only the
    reader's own button, its CSRF token and the map script's nonce are put in per request.
    The versions, the reader's participant record and their mark are one query
    (assets.selectors.asset_reader)."""

    template_name = "assets/detail.html"
    context_object_name = "asset"
    parts = {
        "head": "assets/includes/detail_head.html",
        "content": "assets/includes/detail_content.html",
        "scripts": "assets/includes/detail_scripts.html",
    }

    def get(self, request, *args, **kwargs):
        self.reader, self.kept_key = None, None
        user = request.user
        if in_project(user) and not user.has_perm("assets.moderate_asset"):
            self.reader = asset_reader(user=user, asset_id=kwargs["pk"])
        if self.reader is not None and self.reader.stamp is not None:
            exact = "exact" if sees_exact_numbers(user) else "shown"
            self.kept_key = (
                f"asset-page:{release_token()}:{request.LANGUAGE_CODE}:{self.reader.stamp}:"
                f"{kwargs['pk']}:{exact}"
            )
            parts = kept_get(self.kept_key)
            if parts is not None:  # published at this version: no need to read the asset
                context = self._own_context(parts, kwargs["pk"], self.reader)
                return TemplateResponse(request, self.template_name, context)
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        user = self.request.user
        if user.has_perm("assets.moderate_asset"):
            visible = Asset.objects.visible_to(user) | Asset.objects.for_user(user)
            visible = visible.select_related(
                "category", "areas__lsoa", "areas__msoa", "areas__local_authority"
            )
        else:
            visible = Asset.objects.visible_to(self.request.user).select_related("category")
        # Who values it, and whether this person does, read with the asset.
        if self.reader is not None or not user.is_authenticated:
            return with_endorsements(visible).annotate(valued_by_me=Value(False))
        mine = AssetEndorsement.objects.filter(asset=OuterRef("pk"), participant__user=user)
        return with_endorsements(visible).annotate(valued_by_me=Exists(mine))

    def get_context_data(self, **kwargs):
        asset, user = self.object, self.request.user
        exact = sees_exact_numbers(user)
        context = super().get_context_data(
            endorsements=endorsements_shown(asset, exact=exact).cells,
            exact=exact,
            language_names=[language_name(code) for code in asset.languages],
            location=location_config(asset),
            welcoming_names=[
                WelcomingTo(value).label
                for value in asset.welcoming_to
                if value in WelcomingTo.values
            ],
            endorse_form=ENDORSE_MARK,
            csp_nonce=NONCE_MARK,
            **kwargs,
        )
        parts = {
            name: render_to_string(template, context, self.request)
            for name, template in self.parts.items()
        }
        parts["title"] = conditional_escape(asset.display_name)
        parts.update(endorse_forms(asset.pk))
        if self.kept_key is not None and asset.status == AssetStatus.PUBLISHED:
            kept_set(self.kept_key, parts)
        return self._own_context(parts, asset.pk, self.reader or self._reader_of(asset))

    def _reader_of(self, asset) -> AssetReader:
        user = self.request.user
        participant = (
            Participant.objects.filter(user=user).first() if user.is_authenticated else None
        )
        return AssetReader(
            stamp="",
            participant_id=participant.pk if participant else None,
            valued=bool(participant and asset.valued_by_me),
        )

    def _own_context(self, parts: dict, pk: int, reader: AssetReader) -> dict:
        """The kept parts with the reader's own button and the nonce put in."""
        request = self.request
        content, scripts = parts["content"], parts["scripts"]
        if ENDORSE_MARK in content:
            form = ""
            if reader.participant_id is not None and request.user.has_perm(
                "assets.add_assetendorsement"
            ):
                form = parts["valued" if reader.valued else "not_valued"]
                form = form.replace(CSRF_MARK, get_token(request))
            content = content.replace(ENDORSE_MARK, form)
        if NONCE_MARK in scripts:
            scripts = scripts.replace(NONCE_MARK, str(request.csp_nonce))
        return {
            "view": self,
            "title": mark_safe(parts["title"]),  # noqa: S308 — escaped or rendered above
            "head": mark_safe(parts["head"]),  # noqa: S308
            "content": mark_safe(content),  # noqa: S308
            "scripts": mark_safe(scripts),  # noqa: S308
        }


def endorse_forms(pk: int) -> dict[str, str]:
    """The "I use or value this" button as it is before and after the reader marks the asset,
    with CSRF_MARK for the token of each response."""
    return {
        name: render_to_string(
            "assets/includes/endorse_form.html",
            {"valued": valued, "asset_pk": pk, "csrf_token": CSRF_MARK},
        )
        for name, valued in (("valued", True), ("not_valued", False))
    }


class AssetFormMixin:
    def get_context_data(self, **kwargs):
        return super().get_context_data(picker_config=picker_config(), **kwargs)


class AssetCreateView(PermissionRequiredMixin, AssetFormMixin, FormView):
    """Participants, facilitators and coordinators add an asset; it waits for moderation.
    Facilitators and coordinators can add it on behalf of a participant."""

    permission_required = "assets.add_asset"
    form_class = AssetSubmitForm
    template_name = "assets/form.html"

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        if self.request.user.role in ("coordinator", "facilitator"):
            kwargs["on_behalf_choices"] = participants_for_recording(self.request.user)
        return kwargs

    def form_valid(self, form):
        user, made = self.request.user, {}
        on_behalf_of = form.cleaned_data.get("on_behalf_of") or getattr(user, "participant", None)
        source = AssetSource.PARTICIPANT if user.role == "participant" else AssetSource.COORDINATOR

        def send() -> str:
            made["asset"] = asset_create(
                recorded_by=user,
                fields=form.asset_fields,
                geometry=form.cleaned_data["geometry"],
                on_behalf_of=on_behalf_of,
                source=source,
            )
            return reverse("assets:asset-mine")

        try:
            url, created = form_submission_once(
                token=form.cleaned_data["form_token"], user=user, send=send
            )
        except ValidationError as error:
            add_service_errors(form, error)
            return self.form_invalid(form)
        if created:
            message = _("Thank you. “%(name)s” will be checked before it appears on the map.")
            messages.success(self.request, message % {"name": made["asset"].name})
        return redirect(url)


class MyAssetListView(LoginRequiredMixin, ListView):
    """Signed in: what I added (or what was added for me), with where each one is up to."""

    template_name = "assets/mine.html"
    paginate_by = 50

    def get_queryset(self):
        user = self.request.user
        return Asset.objects.recorded_for(user).select_related("category").order_by("-created_at")


def edit_values(asset: Asset) -> dict:
    """The asset as its edit form shows it."""
    values = {name: getattr(asset, name) for name in AssetForm.base_fields if hasattr(asset, name)}
    values["category"] = asset.category_id
    values["geometry"] = json.dumps(asset.geometry) if asset.geometry else ""
    return values


class AssetEditView(PermissionRequiredMixin, AssetFormMixin, FormView):
    """Coordinators: edit any asset of their sites, including placing it on the map."""

    permission_required = "assets.moderate_asset"
    form_class = AssetEditForm
    template_name = "assets/form.html"

    def dispatch(self, request, *args, **kwargs):
        if not self.has_permission():
            return self.handle_no_permission()
        self.asset = get_object_or_404(Asset.objects.for_user(request.user), pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def get_initial(self):
        return {**edit_values(self.asset), "version": version_of(self.asset)}

    def get_context_data(self, **kwargs):
        return super().get_context_data(asset=self.asset, **kwargs)

    def form_valid(self, form):
        try:
            asset_update(
                asset=self.asset,
                fields=form.asset_fields,
                geometry=form.cleaned_data["geometry"],
                version=form.cleaned_data["version"],
            )
        except EditConflict as conflict:
            form.conflict(
                theirs=edit_values(conflict.current), version=version_of(conflict.current)
            )
            return self.form_invalid(form)
        except ValidationError as error:
            add_service_errors(form, error)
            return self.form_invalid(form)
        messages.success(self.request, _("Saved."))
        return redirect("assets:asset-detail", pk=self.asset.pk)


class EndorseView(PermissionRequiredMixin, View):
    """Participants: mark or unmark "I use / value this". The button sends the state it
    sets ("on" or "off"), so a double tap or a resend leaves it as the person meant."""

    permission_required = "assets.add_assetendorsement"

    def post(self, request, pk):
        asset = get_object_or_404(Asset.objects.visible_to(request.user), pk=pk, status="published")
        participant = get_object_or_404(Participant, user=request.user)
        valued = request.POST.get("valued", "on") != "off"
        endorsement_set(asset=asset, participant=participant, valued=valued)
        return redirect(reverse("assets:asset-detail", args=[pk]) + "#value")


class MySubmissionMixin(PermissionRequiredMixin):
    """A participant's own submission (added by them or for them), by id: anyone else's is a
    404. Once it has been checked, it can no longer be changed or withdrawn here."""

    permission_required = "assets.add_asset"

    def dispatch(self, request, *args, **kwargs):
        if not self.has_permission():
            return self.handle_no_permission()
        self.participant = get_object_or_404(Participant, user=request.user)
        own = Asset.objects.filter(on_behalf_of=self.participant).select_related("category")
        self.asset = own.filter(pk=kwargs["pk"]).first()
        if self.asset is None:
            return self.missing(request)
        return super().dispatch(request, *args, **kwargs)

    def missing(self, request):
        raise Http404

    def refused(self, error: ValidationError):
        messages.error(self.request, " ".join(error.messages))
        return redirect(reverse("participants:me") + "#my-assets")


class MySubmissionChangeView(MySubmissionMixin, AssetFormMixin, FormView):
    """Participants: change an asset they sent while it still waits for a check. Sent twice,
    the second changes nothing more."""

    form_class = AssetSubmitForm
    template_name = "assets/form.html"

    def get(self, request, *args, **kwargs):
        if self.asset.status != AssetStatus.SUBMITTED:
            return self.refused(
                ValidationError(_("This has already been checked, so it cannot be changed here."))
            )
        return super().get(request, *args, **kwargs)

    def get_initial(self):
        return edit_values(self.asset)

    def get_context_data(self, **kwargs):
        return super().get_context_data(asset=self.asset, **kwargs)

    def form_valid(self, form):
        def send() -> str:
            asset_submission_change(
                asset=self.asset,
                participant=self.participant,
                fields=form.asset_fields,
                geometry=form.cleaned_data["geometry"],
            )
            return reverse("participants:me") + "#my-assets"

        try:
            url, created = form_submission_once(
                token=form.cleaned_data["form_token"], user=self.request.user, send=send
            )
        except ValidationError as error:
            if not hasattr(error, "error_dict") and self.asset.status != AssetStatus.SUBMITTED:
                return self.refused(error)
            add_service_errors(form, error)
            return self.form_invalid(form)
        if created:
            messages.success(self.request, _("Your changes are saved. It still waits for a check."))
        return redirect(url)


class MySubmissionWithdrawView(MySubmissionMixin, View):
    """Participants: withdraw an asset they sent while it still waits for a check (confirm
    first); it is deleted. Sent twice, the second is told it is already withdrawn."""

    def missing(self, request):
        if (
            request.method == "POST"
            and FormSubmission.objects.filter(
                token=request.POST.get("form_token") or None, user=request.user
            )
            .exclude(result_url="")
            .exists()
        ):
            messages.info(request, _("This was already withdrawn."))
            return redirect(reverse("participants:me") + "#my-assets")
        raise Http404

    def get(self, request, pk):
        if self.asset.status != AssetStatus.SUBMITTED:
            return self.refused(
                ValidationError(_("This has already been checked, so it cannot be withdrawn here."))
            )
        return render(request, "assets/withdraw.html", {"asset": self.asset, "form": OneTimeForm()})

    def post(self, request, pk):
        form = OneTimeForm(request.POST)
        form.is_valid()  # its only field, the token, has a default
        name = self.asset.name

        def send() -> str:
            asset_submission_withdraw(asset=self.asset, participant=self.participant)
            return reverse("participants:me") + "#my-assets"

        try:
            form_submission_once(
                token=form.cleaned_data["form_token"], user=request.user, send=send
            )
        except ValidationError as error:
            return self.refused(error)
        messages.success(request, _("“%(name)s” is withdrawn.") % {"name": name})
        return redirect(reverse("participants:me") + "#my-assets")
