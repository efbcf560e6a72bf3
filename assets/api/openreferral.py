"""Open Referral UK (HSDS 3.0 UK profile) under /api/openreferral/, after the profile's
OpenAPI: /services, /services/{id}, /service_at_locations, /organizations, /taxonomies and
/taxonomy_terms, each list in the profile's page envelope (total_items, total_pages,
page_number, size, first_page, last_page, empty, contents).

An asset becomes a service exactly as in the Open Referral export
(assets/services/exports.py), from `values()` rows in a constant number of queries. Only what
`Asset.objects.shareable()` gives is ever read. Public when the site's map is (MAP_PUBLIC),
else it needs a key. A page past the last is an empty page (`empty`: true), as the envelope
allows; a malformed parameter is a 400 naming it."""

import math
import uuid

from django.conf import settings
from django.db.models import Q
from django.http import Http404
from django.utils import translation
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import exceptions, permissions
from rest_framework.response import Response
from rest_framework.views import APIView

from assets.filters import AreaFilter
from assets.models import Area, AreaLevel, Asset, AssetCategory, WelcomingTo
from assets.services import exports
from core.api_auth import scope_of
from core.filters import as_utc

DEFAULT_PER_PAGE = 50
MAX_PER_PAGE = 500
# Beyond any real page, and a number every JSON reader holds exactly.
MAX_PAGE = 2**31 - 1
LICENCE = "Open Referral UK data standard; data licensed CC BY-SA 4.0"


class MapPublicOrKey(permissions.BasePermission):
    """Anyone while the site's map is public; otherwise a key or a sign-in with a role."""

    message = _("This needs an API key, or a sign-in with a role.")

    def has_permission(self, request, view):
        return settings.MAP_PUBLIC or scope_of(request) is not None


def _integer(request, name: str, default: int, *, maximum: int | None = None) -> int:
    raw = request.query_params.get(name)
    if raw is None or raw == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        value = 0
    if value < 1 or (maximum is not None and value > maximum):
        if maximum is None:
            message = _("Enter a whole number from 1.")
        else:
            message = _("Enter a whole number from 1 up to %(maximum)d.") % {"maximum": maximum}
        raise exceptions.ValidationError({name: [message]})
    return value


def page_envelope(request, total: int, fetch) -> dict:
    """The profile's page of `total` items: `fetch(start, stop)` returns the page's items."""
    page = _integer(request, "page", 1, maximum=MAX_PAGE)
    per_page = _integer(request, "per_page", DEFAULT_PER_PAGE, maximum=MAX_PER_PAGE)
    start = (page - 1) * per_page
    contents = fetch(start, start + per_page) if start < total else []
    total_pages = math.ceil(total / per_page)
    return {
        "total_items": total,
        "total_pages": total_pages,
        "page_number": page,
        "size": len(contents),
        "first_page": page == 1,
        "last_page": page >= total_pages,
        "empty": not contents,
        "contents": contents,
    }


def _page_schema(description: str, required: list[str]) -> OpenApiResponse:
    item = {"type": "object", "required": required, "additionalProperties": True}
    return OpenApiResponse(
        description=description,
        response={
            "type": "object",
            "required": [
                "total_items",
                "total_pages",
                "page_number",
                "size",
                "first_page",
                "last_page",
                "empty",
                "contents",
            ],
            "properties": {
                "total_items": {"type": "integer", "minimum": 0},
                "total_pages": {"type": "integer", "minimum": 0},
                "page_number": {"type": "integer", "minimum": 1},
                "size": {"type": "integer", "minimum": 0},
                "first_page": {"type": "boolean"},
                "last_page": {"type": "boolean"},
                "empty": {"type": "boolean"},
                "contents": {"type": "array", "items": item},
            },
        },
    )


PAGING = [
    OpenApiParameter(
        "page",
        OpenApiTypes.INT,
        description=f"Page number of paginated result, 1 to {MAX_PAGE} (default 1).",
    ),
    OpenApiParameter(
        "per_page",
        OpenApiTypes.INT,
        description=f"Results in a page, 1 to {MAX_PER_PAGE} (default {DEFAULT_PER_PAGE}).",
    ),
]
SERVICE_FILTERS = [
    OpenApiParameter("search", str, description="Words in the name or description."),
    *PAGING,
    OpenApiParameter("taxonomy_term_id", str, description="Services with this taxonomy term."),
    OpenApiParameter("taxonomy_id", str, description="Services with any term of this taxonomy."),
    OpenApiParameter("organization_id", str, description="Services this organization provides."),
    OpenApiParameter(
        "modified_after",
        OpenApiTypes.DATETIME,
        description="Services modified on or after this date and time (ISO 8601).",
    ),
    OpenApiParameter(
        "area",
        str,
        description=(
            "Not in the profile (an addition of this API): services placed in this LSOA, MSOA "
            "or local authority, by its ONS code (e.g. W02000171), as /api/v1/assets/?area=."
        ),
    ),
]
# A key, or none while the map is public.
OPTIONAL_KEY = [{"bearerKey": []}, {"headerKey": []}, {}]
ERRORS = {
    400: OpenApiResponse(description="A parameter is malformed; the body names it."),
    403: OpenApiResponse(description="The map is not public and no key was given."),
}


def _services(request):
    """The shareable assets the request's filters leave, by name."""
    assets = exports.exportable_assets()
    search = request.query_params.get("search", "").strip()
    if search:
        for word in search.split()[:10]:
            assets = assets.filter(
                Q(name__icontains=word)
                | Q(name_cy__icontains=word)
                | Q(description__icontains=word)
                | Q(description_cy__icontains=word)
            )
    code = request.query_params.get("area", "").strip()
    if code:
        area = Area.objects.exclude(level=AreaLevel.SITE).filter(code=code).first()
        if area is None:
            raise exceptions.ValidationError(
                {"area": [_("No area has the code “%(value)s”.") % {"value": code}]}
            )
        assets = AreaFilter.in_area(assets, "area", area)
    organization = request.query_params.get("organization_id")
    if organization and organization != exports.ORGANISATION_ID:
        return assets.none()
    modified_after = request.query_params.get("modified_after")
    if modified_after:
        try:
            moment = parse_datetime(modified_after)
        except ValueError:
            moment = None
        if moment is None:
            raise exceptions.ValidationError(
                {"modified_after": [_("Enter a date and time, e.g. 2025-01-31T09:00:00Z.")]}
            )
        since = as_utc(moment)
        if since is not None:
            assets = assets.filter(updated_at__gte=since)
        elif moment.year > 1:  # past what UTC can hold in year 9999: nothing is that new
            assets = assets.none()
    taxonomy = request.query_params.get("taxonomy_id")
    if taxonomy:
        if taxonomy == exports.AUDIENCE_TAXONOMY["id"]:
            assets = assets.filter(welcoming_to__icontains='"')
        elif taxonomy != exports.CATEGORY_TAXONOMY["id"]:
            return assets.none()
    term = request.query_params.get("taxonomy_term_id")
    if term:
        assets = assets.filter(_term_filter(term))
    return assets


def _term_filter(term: str) -> Q:
    """The assets linked to a taxonomy term: a category's term takes the category and those
    under it; a "welcoming to" term the assets welcoming to that group."""
    for value in WelcomingTo.values:
        if exports._id(f"welcoming-to:{value}") == term:
            return Q(welcoming_to__icontains=f'"{value}"')
    try:
        uuid.UUID(term)
    except ValueError:
        return Q(pk__in=[])
    categories = list(AssetCategory.objects.values_list("pk", "slug", "parent_id"))
    chosen = {pk for pk, slug, _parent in categories if exports._id(f"category:{slug}") == term}
    grown = True
    while grown:
        below = {pk for pk, _slug, parent in categories if parent in chosen} - chosen
        chosen |= below
        grown = bool(below)
    return Q(category_id__in=chosen)


def _list_schema(operation_id: str, description: str, required: list[str], parameters=PAGING):
    """The schema of one of the profile's paged lists: public (a key optional), its page of
    items with their required fields, the API's errors."""
    return extend_schema(
        tags=["openreferral"],
        auth=OPTIONAL_KEY,
        operation_id=f"openreferral_{operation_id}",
        parameters=parameters,
        responses={200: _page_schema(description, required), **ERRORS},
    )


class OpenReferralView(APIView):
    permission_classes = [MapPublicOrKey]

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        response["Link"] = '<https://creativecommons.org/licenses/by-sa/4.0/>; rel="license"'
        return response


class ServiceList(OpenReferralView):
    """Published assets as Open Referral UK services, a page at a time."""

    @_list_schema("services_list", "A page of services.", ["id", "name", "status"], SERVICE_FILTERS)
    def get(self, request):
        assets = _services(request)

        def fetch(start, stop):
            with translation.override("en"):
                records = exports.openreferral_records(assets[start:stop])
                return [exports.openreferral_service(record) for record in records]

        return Response(page_envelope(request, assets.count(), fetch))


class ServiceDetail(OpenReferralView):
    """One service, fully nested: its languages, costs, contacts, schedules, taxonomy
    attributes, its organization, and its place as a service_at_location with the location."""

    @extend_schema(
        tags=["openreferral"],
        auth=OPTIONAL_KEY,
        operation_id="openreferral_services_retrieve",
        parameters=[OpenApiParameter("id", str, OpenApiParameter.PATH)],
        responses={
            200: OpenApiResponse(
                description="A service.",
                response={
                    "type": "object",
                    "required": ["id", "name", "status"],
                    "additionalProperties": True,
                },
            ),
            403: ERRORS[403],
            404: OpenApiResponse(description="No published service has this id."),
        },
    )
    def get(self, request, id: str):
        try:
            key = uuid.UUID(id)
        except ValueError:
            raise Http404 from None
        # The service id is uuid5 of the asset's pk: find the pk among the shareable ones.
        pks = exports.exportable_assets().values_list("pk", flat=True)
        pk = next((pk for pk in pks if exports.openreferral_service_id(pk) == str(key)), None)
        if pk is None:
            raise Http404
        records = exports.openreferral_records(Asset.objects.shareable().filter(pk=pk))
        if not records:
            raise Http404
        record = records[0]
        with translation.override("en"):
            service = exports.openreferral_service(record)
            service["organization"] = exports.openreferral_organisation()
            if record["latitude"] is not None:
                service["service_at_locations"] = [
                    exports.openreferral_service_at_location(record, location=True)
                ]
        return Response(service)


class ServiceAtLocationList(OpenReferralView):
    """Each placed service with its location, a page at a time."""

    @_list_schema(
        "service_at_locations_list",
        "A page of services at locations.",
        ["id"],
        [
            *SERVICE_FILTERS,
            OpenApiParameter("postcode", str, description="Places with this postcode."),
        ],
    )
    def get(self, request):
        assets = _services(request).filter(latitude__isnull=False)
        postcode = request.query_params.get("postcode", "").strip()
        if postcode:
            assets = assets.filter(postcode__iexact=" ".join(postcode.split()))

        def fetch(start, stop):
            with translation.override("en"):
                records = exports.openreferral_records(assets[start:stop])
                return [
                    exports.openreferral_service_at_location(record, location=True)
                    for record in records
                ]

        return Response(page_envelope(request, assets.count(), fetch))


def _static_page(request, items: list[dict]) -> Response:
    return Response(page_envelope(request, len(items), lambda start, stop: items[start:stop]))


class OrganizationList(OpenReferralView):
    """The one organization that provides every service: the project."""

    @_list_schema("organizations_list", "A page of organizations.", ["id", "name", "description"])
    def get(self, request):
        with translation.override("en"):
            return _static_page(request, [exports.openreferral_organisation()])


class TaxonomyList(OpenReferralView):
    """The two vocabularies: asset categories, and groups an asset is welcoming to."""

    @_list_schema("taxonomies_list", "A page of taxonomies.", ["id", "name", "description"])
    def get(self, request):
        return _static_page(request, [exports.CATEGORY_TAXONOMY, exports.AUDIENCE_TAXONOMY])


class TaxonomyTermList(OpenReferralView):
    """Every term of both vocabularies."""

    @_list_schema("taxonomy_terms_list", "A page of taxonomy terms.", ["id", "name", "description"])
    def get(self, request):
        with translation.override("en"):
            return _static_page(request, exports.openreferral_terms())
