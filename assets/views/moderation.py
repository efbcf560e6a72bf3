from django.contrib import messages
from django.contrib.auth.mixins import PermissionRequiredMixin
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.template.response import TemplateResponse
from django.utils.safestring import mark_safe
from django.utils.translation import gettext
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import ListView

from assets.forms import PublishForm, RejectForm
from assets.models import Asset, AssetStatus
from assets.selectors import (
    asset_fields,
    duplicates_side_by_side,
    moderation_queue,
    nearby_published,
    recheck_due,
)
from assets.services.assets import (
    asset_merge,
    asset_publish,
    asset_reject,
    asset_verify,
)
from assets.services.duplicates import asset_duplicates
from assets.versions import MODERATION_VERSION
from core.pagecache import kept
from core.release import release_token
from core.sites import scope_key_with_versions

PUBLISHABLE = (AssetStatus.SUBMITTED, AssetStatus.REJECTED)


class ModeratorMixin(PermissionRequiredMixin):
    """Coordinators only, and only the assets of their sites (core.sites): any other is a
    404, to read or to change."""

    permission_required = "assets.moderate_asset"

    def assets(self):
        return Asset.objects.for_user(self.request.user)

    def asset(self, pk, queryset=None):
        return get_object_or_404(self.assets() if queryset is None else queryset, pk=pk)


class ModerationQueueView(ModeratorMixin, ListView):
    """Submissions waiting for a check, oldest first. Each page of the queue is rendered once
    per change of what moderation reads (assets.versions) and kept for the coordinators of
    the same sites, per language; the permission is checked on every request."""

    template_name = "assets/moderation/queue.html"
    paginate_by = 50

    def get_queryset(self):
        return moderation_queue(user=self.request.user)

    def get(self, request, *args, **kwargs):
        queue = kept(self.kept_key(), self.queue_render)
        # Rendered (and escaped) by the template engine, on this request or an earlier one.
        return TemplateResponse(request, self.template_name, {"queue": mark_safe(queue)})

    def queue_render(self) -> str:
        self.object_list = self.get_queryset()
        context = {**self.get_context_data(), "request": self.request}
        return render_to_string("assets/moderation/queue_part.html", context)

    def kept_key(self) -> str | None:
        """None for a page asked for other than by its plain number (nothing is kept)."""
        page = self.request.GET.get("page", "1")
        if set(self.request.GET) - {"page"} or not (page.isdigit() and page == str(int(page))):
            return None
        scope = scope_key_with_versions(self.request.user, (MODERATION_VERSION,))
        return f"moderation-queue:{release_token()}:{self.request.LANGUAGE_CODE}:{scope}:{page}"


class RecheckListView(ModeratorMixin, ListView):
    """Published assets nobody has checked for 12 months."""

    template_name = "assets/moderation/recheck.html"
    paginate_by = 50

    def get_queryset(self):
        return recheck_due(user=self.request.user)


class ReviewView(ModeratorMixin, View):
    """One submission: every field the person filled in, where it is among the published
    assets near it, likely duplicates side by side, and the publish (with the "could this be
    someone's home?" question) and reject actions."""

    def get(self, request, pk, reject_form=None, publish_form=None):
        asset = self.asset(pk, self.assets().select_related("category", "on_behalf_of"))
        return render(
            request,
            "assets/moderation/review.html",
            review_context(
                asset,
                request.user,
                reject_form=reject_form or RejectForm(),
                publish_form=publish_form or PublishForm(asset=asset),
                duplicates=asset_duplicates(asset=asset, among=self.assets()),
            ),
        )


def review_context(asset, user, *, duplicates, **forms) -> dict:
    nearby = nearby_published(asset, user=user)
    preview = {
        "submission": {"name": asset.name, "lat": asset.latitude, "lng": asset.longitude},
        "geometry": asset.geometry,
        "nearby": nearby,
        "labels": {
            "submission": gettext("This submission"),
            "nearby": gettext("Published asset"),
        },
    }
    return {
        "asset": asset,
        "fields": asset_fields(asset),
        "nearby": nearby,
        "preview": preview if asset.latitude is not None else None,
        "duplicates": duplicates_side_by_side(asset, duplicates),
        "has_errors": any(form.errors for form in forms.values()),
        **forms,
    }


class PublishView(ModeratorMixin, View):
    def post(self, request, pk):
        asset = self.asset(pk)
        form = PublishForm(request.POST, asset=asset)
        # One that can no longer be published is refused by the service, saying why.
        if not form.is_valid() and asset.status in PUBLISHABLE:
            return ReviewView(request=request).get(request, pk, publish_form=form)
        try:
            asset_publish(asset=asset, not_a_home=form.not_a_home)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect("assets:moderation-review", pk=pk)
        messages.success(request, _("Published “%(name)s”.") % {"name": asset.name})
        return redirect("assets:moderation")


class RejectView(ModeratorMixin, View):
    def post(self, request, pk):
        asset = self.asset(pk)
        form = RejectForm(request.POST)
        if not form.is_valid():
            return ReviewView(request=request).get(request, pk, reject_form=form)
        try:
            asset_reject(asset=asset, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect("assets:moderation-review", pk=pk)
        messages.success(request, _("“%(name)s” will not be published.") % {"name": asset.name})
        return redirect("assets:moderation")


class MergeView(ModeratorMixin, View):
    """Fold this asset into another (?into=<pk>) and archive it."""

    def post(self, request, pk):
        duplicate = self.asset(pk)
        into = request.POST.get("into", "")
        keep = self.asset(int(into) if into.isdigit() else 0)
        try:
            asset_merge(duplicate=duplicate, keep=keep)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect("assets:moderation-review", pk=pk)
        messages.success(request, _("Merged into “%(name)s”.") % {"name": keep.name})
        return redirect("assets:moderation")


class VerifyView(ModeratorMixin, View):
    """Mark an asset as checked today."""

    def post(self, request, pk):
        asset = self.asset(pk)
        asset_verify(asset=asset)
        messages.success(request, _("Marked “%(name)s” as checked today.") % {"name": asset.name})
        return redirect("assets:moderation-recheck")
