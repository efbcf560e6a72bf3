from collections.abc import Callable
from typing import NamedTuple

import orjson
from django.contrib.auth.mixins import PermissionRequiredMixin
from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.views import View
from django.views.decorators.cache import never_cache
from django.views.generic import TemplateView

from assets.services.exports import (
    export_csv,
    export_geojson,
    export_openreferral,
    export_xlsx,
    exportable_assets,
)
from core.spreadsheets import download


class ExportFormat(NamedTuple):
    render: Callable[[QuerySet], bytes]
    content_type: str
    extension: str


FORMATS = {
    "geojson": ExportFormat(
        lambda assets: export_geojson(assets=assets), "application/geo+json", "geojson"
    ),
    # With a byte-order mark, so Excel reads Welsh and other non-English letters as UTF-8.
    "csv": ExportFormat(
        lambda assets: export_csv(assets=assets).encode("utf-8-sig"),
        "text/csv; charset=utf-8",
        "csv",
    ),
    "xlsx": ExportFormat(
        lambda assets: export_xlsx(assets=assets),
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "xlsx",
    ),
    "openreferral": ExportFormat(
        lambda assets: orjson.dumps(export_openreferral(assets=assets)),
        "application/json",
        "openreferral-uk.json",
    ),
}


class ExportMixin(PermissionRequiredMixin):
    """Coordinators only (assets.moderate_asset)."""

    permission_required = "assets.moderate_asset"


class ExportView(ExportMixin, TemplateView):
    """Coordinators: the four download formats, each explained."""

    template_name = "assets/exports.html"


@method_decorator(never_cache, name="dispatch")
class ExportDownloadView(ExportMixin, View):
    """Coordinators: every exportable asset as one file (?format=geojson|csv|xlsx|openreferral);
    any other format is a 404."""

    def get(self, request):
        export = FORMATS.get(request.GET.get("format", ""))
        if export is None:
            raise Http404("No such export format.")
        filename = f"cymuned-assets-{timezone.localdate().isoformat()}.{export.extension}"
        return download(
            export.render(exportable_assets()),
            filename=filename,
            content_type=export.content_type,
        )
