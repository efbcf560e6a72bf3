"""Partner API: each site's published toolkit (its latest export that finished,
toolkit.selectors.latest_exports) with its files to download: the English and Welsh PDFs and
the data bundle. The toolkit holds area summaries and disclosure-controlled counts of people,
so, like /api/v1/area-summaries/, it needs an `aggregates` key. Lists encode `values()` rows:
no model instance per row."""

from django.http import Http404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.response import Response

from core.api.views import ValuesViewSet
from core.api_auth import AggregatesScope
from core.models import ApiKey
from core.sites import site_scope
from toolkit.models import ToolkitExport
from toolkit.selectors import latest_exports
from toolkit.views import stored_file

FILE_NAMES = ToolkitExport.FILES


class ToolkitFileSerializer(serializers.Serializer):
    name = serializers.ChoiceField(choices=FILE_NAMES)
    size = serializers.IntegerField(help_text="Bytes.")
    url = serializers.URLField(help_text="Where to download it, with the same key.")


class ToolkitSerializer(serializers.Serializer):
    id = serializers.IntegerField(help_text="The export's id: a new build gives a new one.")
    site = serializers.SlugField(help_text="The site's short name.")
    site_name_en = serializers.CharField()
    site_name_cy = serializers.CharField()
    created_at = serializers.DateTimeField(help_text="When the build was asked for.")
    built_at = serializers.DateTimeField(help_text="When it was finished.")
    files = ToolkitFileSerializer(many=True)


@extend_schema(tags=["toolkits"])
class ToolkitViewSet(ValuesViewSet):
    """Each site's published toolkit for service providers: the latest build that finished,
    with its English and Welsh PDFs and the data bundle (CSV, XLSX, GeoJSON, Open Referral UK)
    to download. A site with no toolkit built yet is not listed."""

    serializer_class = ToolkitSerializer
    permission_classes = [AggregatesScope]
    fields = (
        "id",
        "site__slug",
        "site__name_en",
        "site__name_cy",
        "created_at",
        "finished_at",
        "result_files",
    )
    ordering = ["site__slug"]
    filter_backends = []
    lookup_field = "site"
    lookup_value_regex = "[-a-zA-Z0-9_]+"
    updated_field = "built_at"

    def get_queryset(self):
        # A key reaches every site (a partner organisation's); a signed-in person their own.
        exports = latest_exports().order_by("site__slug")
        if isinstance(self.request.auth, ApiKey):
            return exports
        return site_scope(exports, self.request.user)

    def row(self, row):
        slug = row["site__slug"]
        return {
            "id": row["id"],
            "site": slug,
            "site_name_en": row["site__name_en"],
            "site_name_cy": row["site__name_cy"] or row["site__name_en"],
            "created_at": row["created_at"],
            "built_at": row["finished_at"],
            "files": [
                {
                    "name": entry["name"],
                    "size": entry["size"],
                    "url": self.reverse_action(
                        "file", kwargs={"site": slug, "name": entry["name"]}
                    ),
                }
                for entry in row["result_files"]
            ],
        }

    def retrieve(self, request, site: str):
        """One site's published toolkit, by the site's short name; 404 until one is built."""
        row = self.get_queryset().filter(site__slug=site).values(*self.fields).first()
        if row is None:
            raise Http404
        row = self.row(row)
        self.newest([row])
        return Response(row)

    @extend_schema(
        parameters=[
            OpenApiParameter("name", OpenApiTypes.STR, OpenApiParameter.PATH, enum=FILE_NAMES)
        ],
        responses={
            (200, "application/octet-stream"): OpenApiResponse(
                OpenApiTypes.BINARY,
                description="The file, as an attachment: a PDF (`application/pdf`) or the "
                "bundle (`application/zip`).",
            )
        },
    )
    @action(detail=True, url_path=r"files/(?P<name>toolkit-en\.pdf|toolkit-cy\.pdf|toolkit\.zip)")
    def file(self, request, site: str, name: str):
        """One file of a site's published toolkit."""
        job = self.get_queryset().filter(site__slug=site).select_related("site").first()
        if job is None:
            raise Http404
        return stored_file(job.file(name), download_name=f"{job.site.slug}-{name}")
