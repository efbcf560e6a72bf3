"""Importing assets from a file: upload (with the recent imports), the job page (progress,
preview, problems, result), confirm and try again. Coordinators only; any coordinator may see
any job (one project team)."""

from django.contrib.auth.mixins import PermissionRequiredMixin
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.views import View
from django.views.decorators.cache import never_cache
from django.views.generic import DetailView, FormView

from assets.forms_imports import ImportConfirmForm, ImportUploadForm
from assets.models import AssetImport, ImportStatus, WelcomingTo
from assets.services import imports
from core.jobs import job_is_stale, jobs_stale_fail

PREVIEW_PAGE_SIZE = 200
HISTORY_SHOWN = 10


class ImportMixin(PermissionRequiredMixin):
    permission_required = "assets.moderate_asset"


class ImportUploadView(ImportMixin, FormView):
    """Coordinators: upload a file; a small one is checked at once, a large one by the worker."""

    form_class = ImportUploadForm
    template_name = "assets/imports/upload.html"
    extra_context = {"columns": imports.COLUMNS, "welcoming_to": WelcomingTo.values}

    def get_context_data(self, **kwargs):
        history = AssetImport.objects.defer("content", "preview").select_related("requested_by")
        return super().get_context_data(jobs=history[:HISTORY_SHOWN], **kwargs)

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            job = imports.import_start(
                requested_by=self.request.user,
                file_name=data["file_name"],
                content=data["file"],
                format=data["format"],
                default_category=data["default_category"],
            )
        except ValidationError as error:
            form.add_error("file", error)
            return self.form_invalid(form)
        return redirect("assets:asset-import", pk=job.pk)


@method_decorator(never_cache, name="dispatch")
class ImportJobView(ImportMixin, DetailView):
    """Coordinators: a job's progress, then its preview to confirm, its problems, or its result."""

    queryset = AssetImport.objects.defer("content")
    template_name = "assets/imports/job.html"
    context_object_name = "job"

    def get_object(self, queryset=None):
        job = super().get_object(queryset)
        if job_is_stale(job=job):  # its worker stopped: say so, offer "Try again"
            jobs_stale_fail(model=AssetImport, job_id=job.pk)
            job = super().get_object(queryset)
        return job

    def get_context_data(self, **kwargs):
        rows = imports.import_preview_rows(job=self.object)
        page = Paginator(rows, PREVIEW_PAGE_SIZE).get_page(self.request.GET.get("page"))
        starting = self.object.state == ImportStatus.READY and "started" in self.request.GET
        return super().get_context_data(
            rows=rows,
            page_obj=page,
            paginator=page.paginator,
            is_paginated=page.has_other_pages(),
            duplicate_count=sum(1 for row in rows if row["duplicates"]),
            progress=self.object.live_progress,
            starting=starting,
            confirm_form=ImportConfirmForm(),
            **kwargs,
        )


class ImportConfirmView(ImportMixin, View):
    """Coordinators: import a checked file (POST only)."""

    def post(self, request, pk):
        job = get_object_or_404(AssetImport.objects.only("pk"), pk=pk)
        form = ImportConfirmForm(request.POST)
        form.is_valid()  # one optional checkbox: it cannot be invalid
        skip = form.cleaned_data.get("skip_duplicates", False)
        queued = imports.import_confirm(job_id=job.pk, skip_duplicates=skip)
        url = reverse("assets:asset-import", kwargs={"pk": job.pk})
        return redirect(f"{url}?started=1" if queued else url)


class ImportRetryView(ImportMixin, View):
    """Coordinators: check a failed job's file again from the start (POST only)."""

    def post(self, request, pk):
        job = get_object_or_404(AssetImport.objects.only("pk"), pk=pk)
        imports.import_retry(job_id=job.pk)
        return redirect("assets:asset-import", pk=job.pk)
