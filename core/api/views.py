"""What the partner API's read-only resources share (each app's `api/` module builds on it),
and core's own: the programme's sites. Lists encode `values()` rows: no model instance per
row, one query for the rows and one for the count."""

import math

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import ExpressionWrapper, F
from django.http import Http404
from django.utils.cache import (
    get_conditional_response,
    patch_cache_control,
    patch_vary_headers,
    set_response_etag,
)
from django.utils.http import http_date
from django.utils.translation import gettext as _
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, viewsets
from rest_framework.filters import OrderingFilter
from rest_framework.response import Response
from shapely.geometry import mapping, shape

from core.api.kept import Kept, compressed, kept_answers, versions_read
from core.api_auth import PublicScope, scope_of
from core.models import Site

# ?tolerance= for boundaries, in degrees: 0 keeps every point; at most about 1 km.
TOLERANCE_DEFAULT = 0.0001
TOLERANCE_MAX = 0.01

BOUNDARY_PARAMETERS = [
    OpenApiParameter(
        "boundary",
        OpenApiTypes.BOOL,
        description="`true` to include the boundary (GeoJSON, WGS84); left out otherwise.",
    ),
    OpenApiParameter(
        "tolerance",
        OpenApiTypes.DOUBLE,
        description=(
            f"With `boundary=true`: simplify the boundary to this many degrees, from 0 (every "
            f"point) to {TOLERANCE_MAX}; {TOLERANCE_DEFAULT} unless asked."
        ),
    ),
]


def json_text(name: str) -> ExpressionWrapper:
    """A model's JSONField `name` for `values(…=json_text(name))`, as the database's text,
    for the row to decode with orjson (many times faster than the standard library's json on
    a page of rows). No converter: a page whose columns have none is read without a call per
    value (core.api_pages.values_fetch)."""
    return ExpressionWrapper(F(name), output_field=models.TextField())


def conditional(request, response, last_modified=None):
    """A GET's 200 with an `ETag` (a hash of the body: the same rows, key scope and page give
    the same tag) and, where the rows have an updated time, `Last-Modified` (the newest row of
    the page). A request whose `If-None-Match` names the tag gets `304 Not Modified` with no
    body. `If-Modified-Since` alone is not trusted to give a 304: a row that left the list
    (unpublished, deleted) changes no updated time, only the tag. Responses differ by key, so
    caches keep them apart and check back before reuse."""
    if request.method not in ("GET", "HEAD") or response.status_code != 200 or response.streaming:
        return response  # a file download (streamed) is not tagged
    if hasattr(response, "render") and not response.is_rendered:
        response.render()
    if not response.has_header("ETag"):  # a kept answer has its tag (core.api.kept)
        set_response_etag(response)
    if last_modified is not None:
        response["Last-Modified"] = http_date(last_modified.timestamp())
    patch_vary_headers(response, ["Authorization", "X-Api-Key"])
    patch_cache_control(response, private=True, no_cache=True)
    return get_conditional_response(request, etag=response["ETag"], response=response)


class FilterBackend(DjangoFilterBackend):
    """django-filter's backend, skipped when the request names none of the filters (only
    `cursor`, `page_size`, `ordering`…): building the filter set's form is a tenth of a page's
    time, and with no value every filter leaves the rows as they are."""

    def filter_queryset(self, request, queryset, view):
        filterset_class = self.get_filterset_class(view, queryset)
        names = tuple(filterset_class.base_filters) if filterset_class else ()
        if not any(param.startswith(names) for param in request.query_params):
            return queryset
        return super().filter_queryset(request, queryset, view)


class ValuesViewSet(viewsets.GenericViewSet):
    """A read-only resource served from `values(*fields)` rows, each shaped by `row`; every
    answer with an ETag (and Last-Modified where rows have `updated_field`), 304 when the
    partner has it already."""

    fields: tuple[str, ...] = ()
    updated_field: str | None = None  # a key of the shaped rows, for Last-Modified
    last_modified = None
    permission_classes = [PublicScope]
    filter_backends = [OrderingFilter]
    lookup_value_regex = "[0-9]+"  # anything else is a 404, never a query error
    # Actions whose answers are kept per scope, URL and the data versions `kept_versions`
    # (core.api.kept): only for what is the same for every caller of a scope.
    kept_actions: tuple[str, ...] = ()
    kept_versions: tuple[str, ...] = ()

    def row(self, row: dict) -> dict:
        return row

    def list_fields(self) -> tuple[str, ...]:
        return self.fields

    def values(self, queryset):
        return queryset.values(*self.list_fields())

    def page_rows(self) -> list[dict]:
        """The page's rows, unshaped. `filtered` is kept for a paginator that counts the
        table alone (core.api_pages.KeysetPagination), without the rows' joins."""
        self.filtered = self.filter_queryset(self.get_queryset())
        return self.paginate_queryset(self.values(self.filtered))

    def list(self, request):
        if self.kept is not None:
            return self.kept.response()
        page = [self.row(row) for row in self.page_rows()]
        self.newest(page)
        return self.get_paginated_response(page)

    def retrieve(self, request, pk: int):
        row = self.values(self.get_queryset().filter(pk=pk)).first()
        if row is None:
            raise Http404
        row = self.row(row)
        self.newest([row])
        return Response(row)

    def newest(self, rows) -> None:
        """Keep the newest updated time of `rows` for Last-Modified."""
        if self.updated_field:
            times = [row[self.updated_field] for row in rows if row[self.updated_field]]
            self.last_modified = max(times, default=None)

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)  # the key, its scope and its throttle
        self.kept_key = self.kept = None
        if self.action in self.kept_actions and request.method in ("GET", "HEAD"):
            self.kept_key = (
                scope_of(request),
                versions_read(request, self.kept_versions),
                request.build_absolute_uri(),
            )
            self.kept = kept_answers.get(self.kept_key)
            if self.kept is not None:
                self.last_modified = self.kept.last_modified

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        kept = getattr(self, "kept", None) or self.keep(response)
        response = conditional(request, response, self.last_modified)
        if kept is not None and response.status_code == 200:
            response = compressed(request, response, kept)
        return response

    def keep(self, response) -> Kept | None:
        """Keep a kept action's 200 (initial() named its key), as rendered."""
        if getattr(self, "kept_key", None) is None or response.status_code != 200:
            return None
        if hasattr(response, "render") and not response.is_rendered:
            response.render()
        kept = Kept(response["Content-Type"], response.content, self.last_modified)
        kept_answers.put(self.kept_key, kept)
        return kept


def tolerance_parse(params) -> float | None:
    """?boundary=true&tolerance=… → the tolerance to simplify at, or None without
    `boundary=true`; a ValidationError naming the parameter when it is not a number in range."""
    if params.get("boundary", "").lower() not in ("true", "1", "yes"):
        return None
    raw = params.get("tolerance")
    if raw in (None, ""):
        return TOLERANCE_DEFAULT
    try:
        tolerance = float(raw)
    except ValueError:
        tolerance = math.nan
    if not (math.isfinite(tolerance) and 0 <= tolerance <= TOLERANCE_MAX):
        raise ValidationError(
            {"tolerance": _("Give a number of degrees from 0 to %(max)s.") % {"max": TOLERANCE_MAX}}
        )
    return tolerance


def boundary_simplified(boundary: dict | None, tolerance: float) -> dict | None:
    """A GeoJSON geometry simplified (its topology kept) at `tolerance` degrees."""
    if not boundary:
        return None
    if tolerance == 0:
        return boundary
    try:
        geometry = shape(boundary)
    except (ValueError, TypeError, AttributeError, KeyError):
        return None
    return mapping(geometry.simplify(tolerance, preserve_topology=True))


class BoundaryViewSet(ValuesViewSet):
    """Areas and sites: the boundary only on request (`boundary=true`), simplified."""

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        self.tolerance = tolerance_parse(request.query_params)

    def list_fields(self):
        return (*self.fields, "boundary") if self.tolerance is not None else self.fields

    def row(self, row):
        if self.tolerance is not None:
            row["boundary"] = boundary_simplified(row["boundary"], self.tolerance)
        return row


class SiteSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    slug = serializers.SlugField()
    name_en = serializers.CharField()
    name_cy = serializers.CharField()
    boundary = serializers.JSONField(
        required=False, allow_null=True, help_text="Only with `boundary=true`."
    )


@extend_schema(tags=["sites"], parameters=BOUNDARY_PARAMETERS)
class SiteViewSet(BoundaryViewSet):
    """The programme's test sites: the neighbourhoods where it runs."""

    serializer_class = SiteSerializer
    fields = ("id", "slug", "name_en", "name_cy")
    ordering_fields = ["id", "slug", "name_en"]
    ordering = ["name_en", "id"]

    def get_queryset(self):
        return Site.objects.all()


def site_scoped(queryset, request):
    """A site-owned queryset (core.sites) as the caller reaches it: a key is a partner
    organisation's, and partners reach every site; a signed-in person their own sites."""
    if getattr(request.auth, "scope", None) is not None:
        return queryset
    return queryset.for_user(request.user)
