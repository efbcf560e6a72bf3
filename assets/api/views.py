"""Partner API: asset categories and published assets (DESIGN §2, §6). Only what
`Asset.objects.shareable()` gives is ever read — published assets, and a person's skill only
where its owner agreed to show it outside the project — and never who recorded an asset or
on whose behalf. Lists encode `values()` rows: no model instance per row."""

from types import SimpleNamespace

import orjson
from django.http import Http404, HttpResponse
from django_filters.rest_framework import CharFilter, ChoiceFilter, FilterSet
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework.decorators import action
from rest_framework.filters import OrderingFilter
from rest_framework.response import Response

from assets.filters import AssetFilterSet
from assets.maps import LAYER_VERSION
from assets.models import Area, AreaLevel, Asset, AssetCategory
from assets.selectors import endorsements_shown, with_endorsements
from assets.versions import ROWS_VERSION
from core.api.views import (
    BOUNDARY_PARAMETERS,
    BoundaryViewSet,
    FilterBackend,
    ValuesViewSet,
    json_text,
)
from core.api_auth import AggregatesScope
from core.api_pages import KeysetPagination

from .serializers import AreaSerializer, AssetSerializer, CategorySerializer, ValuedBySerializer

CATEGORY_FIELDS = ("id", "slug", "name_en", "name_cy", "domain", "parent__slug", "order")
ASSET_FIELDS = (
    "id",
    "name",
    "name_cy",
    "description",
    "description_cy",
    "category__slug",
    "domain",
    "address",
    "postcode",
    "contact",
    "website",
    "opening_times",
    "cost",
    "languages",
    "accessibility",
    "welcoming_to",
    "latitude",
    "longitude",
    "areas__lsoa__code",
    "areas__msoa__code",
    "areas__local_authority__code",
    "last_verified_on",
    "published_at",
    "updated_at",
)


def category_row(row: dict) -> dict:
    row["parent"] = row.pop("parent__slug")
    return row


# Read as text and decoded by orjson (core.api.views.json_text).
JSON_FIELDS = ("languages", "welcoming_to")
PLAIN_FIELDS = tuple(field for field in ASSET_FIELDS if field not in JSON_FIELDS)


def asset_values(queryset):
    """`values()` rows of ASSET_FIELDS, for asset_row."""
    return queryset.values(
        *PLAIN_FIELDS, **{f"{field}_json": json_text(field) for field in JSON_FIELDS}
    )


def asset_row(row: dict) -> dict:
    for field in JSON_FIELDS:
        text = row.pop(f"{field}_json")
        row[field] = None if text is None else orjson.loads(text)
    row["category"] = row.pop("category__slug")
    row["areas"] = {
        "lsoa": row.pop("areas__lsoa__code"),
        "msoa": row.pop("areas__msoa__code"),
        "local_authority": row.pop("areas__local_authority__code"),
    }
    return row


@extend_schema(tags=["assets"])
class CategoryViewSet(ValuesViewSet):
    """The kinds of asset, in the three domains, in English and Welsh."""

    serializer_class = CategorySerializer
    fields = CATEGORY_FIELDS
    ordering_fields = ["id", "slug", "order", "name_en"]
    ordering = ["domain", "order", "name_en", "id"]

    def get_queryset(self):
        return AssetCategory.objects.all()

    def row(self, row):
        return category_row(row)


@extend_schema(tags=["assets"])
class AssetViewSet(ValuesViewSet):
    """Published assets: places, groups, services, and people's skills whose owners agreed
    to show them outside the project."""

    serializer_class = AssetSerializer
    fields = ASSET_FIELDS
    # The map's own filters (?area, bbox, domain, category, updated_since, …), same messages.
    filter_backends = [FilterBackend, OrderingFilter]
    filterset_class = AssetFilterSet
    # Thousands of rows: pages by cursor, each read from an index on the order (name, id) or
    # (updated_at, id), whatever its depth. Fields that are never empty only: a cursor
    # stands on the last row's values.
    pagination_class = KeysetPagination
    ordering_fields = ["id", "name", "updated_at"]
    ordering = ["name", "id"]
    updated_field = "updated_at"
    # Every partner (and every signed-in person) reads the same shareable assets: a page is
    # worked out once per change of the assets and kept (core.api.kept).
    kept_actions = ("list", "geojson")
    kept_versions = (LAYER_VERSION, ROWS_VERSION)

    def get_queryset(self):
        return Asset.objects.shareable()

    def values(self, queryset):
        return asset_values(queryset)

    def row(self, row):
        return asset_row(row)

    @extend_schema(
        responses={
            (200, "application/geo+json"): OpenApiResponse(
                OpenApiTypes.OBJECT,
                description=(
                    "A GeoJSON FeatureCollection of the page's assets, with `count`, `next` "
                    "and `previous` as on the JSON list; each feature's properties are the "
                    "JSON list's fields but `latitude` and `longitude` (a skill has no "
                    "geometry: `null`)."
                ),
            )
        }
    )
    @action(detail=False, url_path="geojson")
    def geojson(self, request):
        """The same assets, filters, order and pages as the list, as a GeoJSON
        FeatureCollection (`application/geo+json`) to drop into a map."""
        if self.kept is not None:
            return self.kept.response()
        features = []
        for row in self.page_rows():
            row = asset_row(row)
            longitude, latitude = row.pop("longitude"), row.pop("latitude")
            geometry = (
                {"type": "Point", "coordinates": (longitude, latitude)}  # a JSON array
                if latitude is not None and longitude is not None
                else None
            )
            features.append(
                {"type": "Feature", "id": row["id"], "geometry": geometry, "properties": row}
            )
        self.newest([feature["properties"] for feature in features])
        body = {
            "type": "FeatureCollection",
            "count": self.paginator.count,
            "next": self.paginator.get_next_link(),
            "previous": self.paginator.get_previous_link(),
            "features": features,
        }
        return HttpResponse(
            orjson.dumps(body, option=orjson.OPT_UTC_Z), content_type="application/geo+json"
        )

    @extend_schema(responses=ValuedBySerializer)
    @action(detail=True, url_path="valued-by", permission_classes=[AggregatesScope])
    def valued_by(self, request, pk: int):
        """How many social housing tenants, people seeking sanctuary and others value the
        asset, disclosure-controlled as on every page: 1 to 4 is "<5", and a cell or total that
        would give one away is "withheld". Needs an `aggregates` key."""
        counts = (
            with_endorsements(self.get_queryset().filter(pk=pk))
            .values("id", "tenant_endorsements", "sanctuary_endorsements", "all_endorsements")
            .first()
        )
        if counts is None:
            raise Http404
        shown = endorsements_shown(SimpleNamespace(**counts), exact=False)
        return Response({"id": counts["id"], **shown.cells, "total": shown.total})


class AreaFilterSet(FilterSet):
    level = ChoiceFilter(choices=AreaLevel.choices)
    code = CharFilter(help_text="An area's code (W02000186).")
    parent = CharFilter(field_name="parent__code", help_text="The parent area's code.")

    class Meta:
        model = Area
        fields = ["level", "code", "parent"]


@extend_schema(tags=["areas"], parameters=BOUNDARY_PARAMETERS)
class AreaViewSet(BoundaryViewSet):
    """The places the programme reports on: local authorities, MSOAs, LSOAs and the test
    sites' areas, with their codes (ONS, OGL v3) and their parent's code."""

    serializer_class = AreaSerializer
    fields = ("id", "code", "name_en", "name_cy", "level", "parent__code", "population")
    filter_backends = [FilterBackend, OrderingFilter]
    filterset_class = AreaFilterSet
    ordering_fields = ["id", "code", "name_en", "level"]
    ordering = ["level", "code"]

    def get_queryset(self):
        return Area.objects.all()

    def row(self, row):
        row["parent"] = row.pop("parent__code")
        return super().row(row)
