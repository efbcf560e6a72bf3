from django.contrib import messages
from django.contrib.auth.mixins import PermissionRequiredMixin
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views import View
from django.views.decorators.cache import never_cache
from django.views.generic import DetailView, FormView, TemplateView

from core.jobs import job_is_stale, jobs_stale_fail
from core.pagecache import PageFragments
from core.services import EditConflict, version_of
from core.sites import sites_of
from toolkit import selectors, services
from toolkit.forms import SectionForm
from toolkit.models import ToolkitExport, ToolkitSection
from toolkit.rendering import markdown_html
from toolkit.services import FIELDS, toolkit_section_update
from toolkit.versions import TOOLKIT_VERSION


class SectionListView(TemplateView):
    """The toolkit's guidance, for anyone: service providers need no account to read it."""

    template_name = "toolkit/sections.html"

    def get_context_data(self, **kwargs):
        # Rendered once per change of the text (toolkit.versions) for each language, for
        # those who may edit it (with the links to do so) and for everyone else.
        can_edit = self.request.user.has_perm("toolkit.change_toolkitsection")
        body = PageFragments(
            self.request,
            scope=f"toolkit:{'edit' if can_edit else 'read'}",
            versions=(TOOLKIT_VERSION,),
            params=frozenset(),
        ).get_or_set("body", self._body)
        return super().get_context_data(body=mark_safe(body), **kwargs)

    def _body(self) -> str:
        sections = ToolkitSection.objects.all()
        context = {"sections": sections, "rendered": [(s, markdown_html(s.body)) for s in sections]}
        return str(render_to_string("toolkit/sections_body.html", context, self.request))


def section_values(section: ToolkitSection) -> dict:
    return {name: getattr(section, name) for name in FIELDS}


@method_decorator(never_cache, name="dispatch")
class SectionEditView(PermissionRequiredMixin, FormView):
    """Coordinators: edit a section in both languages, preview it, save it as a revision."""

    permission_required = "toolkit.change_toolkitsection"
    form_class = SectionForm
    template_name = "toolkit/edit.html"

    def dispatch(self, request, *args, **kwargs):
        self.section = get_object_or_404(ToolkitSection, slug=kwargs["slug"])
        return super().dispatch(request, *args, **kwargs)

    def get_initial(self):
        return {**section_values(self.section), "version": version_of(self.section)}

    def get_context_data(self, **kwargs):
        return super().get_context_data(section=self.section, **kwargs)

    def form_valid(self, form):
        if "preview" in self.request.POST:
            preview = {
                lang: markdown_html(form.cleaned_data[f"body_{lang}"]) for lang in ("en", "cy")
            }
            return self.render_to_response(self.get_context_data(form=form, preview=preview))
        try:
            toolkit_section_update(
                section=self.section,
                fields=form.cleaned_data,
                by=self.request.user,
                version=form.cleaned_data["version"],
            )
        except EditConflict as conflict:
            form.conflict(
                theirs=section_values(conflict.current), version=version_of(conflict.current)
            )
            return self.form_invalid(form)
        except ValidationError as error:
            form.add_error(None, error)
            return self.form_invalid(form)
        messages.success(self.request, _("Saved. The toolkit now shows this version."))
        return redirect(f"{reverse('toolkit:section-list')}#{self.section.slug}")


@method_decorator(never_cache, name="dispatch")
class SectionHistoryView(PermissionRequiredMixin, DetailView):
    """Coordinators: every saved version of a section, who saved it and when."""

    permission_required = "toolkit.change_toolkitsection"
    model = ToolkitSection
    template_name = "toolkit/history.html"
    context_object_name = "section"

    def get_context_data(self, **kwargs):
        revisions = self.object.revisions.select_related("changed_by")
        return super().get_context_data(revisions=revisions, **kwargs)


# --- The export: a site's toolkit as PDFs and a data bundle, built on the worker -------------

EXPORT_PERMISSION = "toolkit.add_toolkitexport"
HISTORY_SHOWN = 20
CONTENT_TYPES = {".pdf": "application/pdf", ".zip": "application/zip"}


def _fresh(job: ToolkitExport) -> ToolkitExport:
    """The job as it is now; one whose worker stopped is failed first, with "Try again"."""
    if job_is_stale(job=job):
        jobs_stale_fail(model=ToolkitExport, job_id=job.pk)
        job.refresh_from_db()
    return job


def stored_file(entry: dict | None, *, download_name: str) -> FileResponse:
    """A stored export file as an attachment (never a link to the storage itself)."""
    if entry is None:
        raise Http404
    try:
        handle = default_storage.open(entry["path"], "rb")
    except (FileNotFoundError, OSError) as error:
        raise Http404 from error
    suffix = download_name[download_name.rfind(".") :]
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=download_name,
        content_type=CONTENT_TYPES.get(suffix, "application/octet-stream"),
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


@method_decorator(never_cache, name="dispatch")
class ExportListView(PermissionRequiredMixin, TemplateView):
    """Coordinators: each of their sites with its published toolkit, a button to build it
    again now, and the exports so far."""

    permission_required = EXPORT_PERMISSION
    template_name = "toolkit/exports.html"

    def get_context_data(self, **kwargs):
        sites = [
            {"site": site, "latest": selectors.latest_export(site)}
            for site in sites_of(self.request.user)
        ]
        jobs = selectors.exports_for(self.request.user)[:HISTORY_SHOWN]
        return super().get_context_data(sites=sites, jobs=jobs, **kwargs)

    def post(self, request):
        chosen = request.POST.get("site", "")
        site = sites_of(request.user).filter(pk=int(chosen)).first() if chosen.isdigit() else None
        if site is None:
            messages.error(request, _("Choose one of your sites."))
            return redirect("toolkit:export-list")
        try:
            job = services.toolkit_export_start(
                requested_by=request.user, site=site, base_url=request.build_absolute_uri("/")
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect("toolkit:export-list")
        return redirect(job.get_absolute_url())


@method_decorator(never_cache, name="dispatch")
class ExportView(PermissionRequiredMixin, DetailView):
    """One export: its progress while it is built, then its files; why it failed, and Try
    again."""

    permission_required = EXPORT_PERMISSION
    template_name = "toolkit/export.html"
    context_object_name = "job"

    def get_queryset(self):
        return selectors.exports_for(self.request.user)

    def get_object(self, queryset=None):
        return _fresh(super().get_object(queryset))

    def get_context_data(self, **kwargs):
        latest = selectors.latest_export(self.object.site)
        return super().get_context_data(
            is_latest=latest is not None and latest.pk == self.object.pk, **kwargs
        )


class ExportRetryView(PermissionRequiredMixin, View):
    permission_required = EXPORT_PERMISSION

    def post(self, request, pk):
        jobs = selectors.exports_for(request.user).select_related(None).only("pk")
        job = get_object_or_404(jobs, pk=pk)
        services.toolkit_export_retry(job_id=job.pk)
        return redirect(job.get_absolute_url())


class ExportDeleteView(PermissionRequiredMixin, View):
    permission_required = EXPORT_PERMISSION

    def post(self, request, pk):
        job = get_object_or_404(selectors.exports_for(request.user), pk=pk)
        try:
            services.toolkit_export_delete(job=job)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect(job.get_absolute_url())
        messages.success(request, _("The export and its files were deleted."))
        return redirect("toolkit:export-list")


class ExportDownloadView(PermissionRequiredMixin, View):
    """One file of an export, for a coordinator of its site."""

    permission_required = EXPORT_PERMISSION

    def get(self, request, pk, name):
        job = get_object_or_404(selectors.exports_for(request.user), pk=pk)
        return stored_file(job.file(name), download_name=f"{job.site.slug}-{name}")


LATEST_PERMISSION = "toolkit.view_toolkitexport"


class LatestView(PermissionRequiredMixin, View):
    """Partners and coordinators: the site's published toolkit as JSON — when it was built and
    where to download each file. Read-only; 404 until a toolkit has been built."""

    permission_required = LATEST_PERMISSION

    def get(self, request, slug):
        site = get_object_or_404(sites_of(request.user), slug=slug)
        job = selectors.latest_export(site)
        if job is None:
            return JsonResponse({"detail": _("No toolkit has been published yet.")}, status=404)
        return JsonResponse(
            {
                "site": site.slug,
                "name": {"en": site.name_en, "cy": site.name_cy or site.name_en},
                "built_at": job.finished_at.isoformat(),
                "files": [
                    {
                        "name": entry["name"],
                        "size": entry["size"],
                        "url": request.build_absolute_uri(
                            reverse(
                                "toolkit:latest-download",
                                kwargs={"slug": site.slug, "name": entry["name"]},
                            )
                        ),
                    }
                    for entry in job.result_files
                ],
            }
        )


class LatestDownloadView(PermissionRequiredMixin, View):
    permission_required = LATEST_PERMISSION

    def get(self, request, slug, name):
        site = get_object_or_404(sites_of(request.user), slug=slug)
        job = selectors.latest_export(site)
        if job is None:
            raise Http404
        return stored_file(job.file(name), download_name=f"{site.slug}-{name}")
