from django import forms
from django.conf import settings
from django.http import HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.cache import get_conditional_response
from django.utils.http import http_date
from django.utils.safestring import mark_safe
from django.utils.translation import gettext, gettext_lazy
from django.views import View
from django.views.generic import ListView
from django.views.generic.base import ContextMixin

from assets.filters import AssetFilterSet
from assets.geo import area_version
from assets.maps import LAYER_VERSION, bbox_parse, bbox_snap, map_context, site_boundary
from assets.middleware import layer_given
from assets.models import AssetCategory, Domain, WelcomingTo
from assets.selectors import (
    layer_cached,
    layer_digest,
    layer_scope,
    layer_stamp,
    map_list,
    published_for,
)
from core import registry
from core.compression import coding_for, mark_coded
from core.languages import language_choices
from core.localmemo import memo_new
from core.models import in_project
from core.pagecache import NONCE_MARK, PageFragments, SignedOutPageCacheMixin
from core.roles import RoleRequiredMixin


class MapAccessMixin(RoleRequiredMixin):
    """Everyone when the site's map is public (MAP_PUBLIC); otherwise people with a role."""

    def role_required(self) -> bool:
        return not settings.MAP_PUBLIC


class ZoomForm(forms.Form):
    zoom = forms.IntegerField(
        required=False,
        min_value=0,
        max_value=24,
        error_messages={"invalid": gettext_lazy("Give the zoom as a whole number, 0 to 24.")},
    )


def _snapped(query, zoom: int | None):
    """The query with its box grown to whole grid cells of the map's zoom (assets.maps)."""
    bbox = bbox_parse(query.get("bbox", ""))
    if zoom is None or bbox is None:
        return query
    query = query.copy()
    query["bbox"] = ",".join(str(n) for n in bbox_snap(bbox, zoom))
    return query


# (version, scope, query string) → the layer's digest, for query strings found right: the
# filters' form is built and checked once per version, not on every view of the map. Not for
# ?area=, checked against the areas (which may change without a new version).
_digests = memo_new(max_entries=2048, max_bytes=2**20)


class AssetLayerView(MapAccessMixin, View):
    """Published assets in a bounding box (?bbox=west,south,east,north) and the list's filters
    as lean GeoJSON; with the map's ?zoom, counts per grid cell when zoomed out
    (assets.selectors.layer_build). Cached per data version, with an ETag and Last-Modified
    (304 when unchanged); 400 with each parameter's errors when one is not right."""

    def get(self, request):
        stamp, version = layer_stamp()
        scope = layer_scope(request.user)
        seen = f"{stamp}:{scope}:{request.META.get('QUERY_STRING', '')}"
        found = _digests.get(seen)
        if found is None:
            filters, zoom = self._filters(request)
            if not filters.is_valid() or not zoom.is_valid():
                return bad_parameters(filters, zoom)
            zoom_value = zoom.cleaned_data["zoom"]
            found = (
                layer_digest(scope=scope, filters=filters.form.cleaned_data, zoom=zoom_value),
                zoom_value,
            )
            if "area" not in request.GET:
                _digests.set(seen, found)
        digest, zoom_value = found
        layer = layer_cached(
            stamp=stamp,
            version=version,
            digest=digest,
            assets=lambda: self._filters(request)[0].qs,
            zoom=zoom_value,
        )
        response = _conditional(request, layer) or _layer_response(layer, coding_for(request))
        layer_given(request, layer, response)
        return response

    @staticmethod
    def _filters(request) -> tuple[AssetFilterSet, ZoomForm]:
        zoom = ZoomForm(request.GET)
        zoom_value = zoom.cleaned_data["zoom"] if zoom.is_valid() else None
        data = _snapped(request.GET, zoom_value)
        return AssetFilterSet(data, queryset=published_for(request.user)), zoom


def bad_parameters(filters: AssetFilterSet, zoom: ZoomForm) -> JsonResponse:
    """400 with each filter's and the zoom's errors (as core.filters.bad_filters gives them)."""
    errors = {**filters.errors, **zoom.errors}
    return JsonResponse({name: [str(e) for e in errs] for name, errs in errors.items()}, status=400)


def _headers(response: HttpResponse, layer) -> HttpResponse:
    response["ETag"] = layer.etag
    if layer.last_modified:
        response["Last-Modified"] = http_date(layer.last_modified.timestamp())
    # Asked again on every page view, answered 304 while the published assets are unchanged.
    response["Cache-Control"] = "private, no-cache"
    return response


def _conditional(request, layer) -> HttpResponse | None:
    """304 Not Modified when the browser already holds this version of this layer."""
    # Whole seconds, as Last-Modified and If-Modified-Since carry them.
    last_modified = int(layer.last_modified.timestamp()) if layer.last_modified else None
    unchanged = get_conditional_response(request, etag=layer.etag, last_modified=last_modified)
    return mark_coded(_headers(unchanged, layer), "identity") if unchanged is not None else None


def _layer_response(layer, coding: str) -> HttpResponse:
    response = HttpResponse(layer.coded(coding), content_type="application/geo+json")
    return mark_coded(_headers(response, layer), coding)


class MapOutlinesView(View):
    """The outlines every map falls back on when its street map cannot load (the test sites
    and their LSOAs, assets.maps.map_context), fetched by static/js/basemap.js only then,
    rather than carried in every page with a map. Public, as those pages are (the area
    profiles among them). Under the URL basemap_config gives, which names the boundaries'
    version, a browser keeps them until the boundaries change."""

    def get(self, request):
        response = JsonResponse(map_context())
        current = request.GET.get("v") == (area_version() or "")
        response["Cache-Control"] = "public, max-age=31536000, immutable" if current else "no-cache"
        return response


class AssetMapView(MapAccessMixin, SignedOutPageCacheMixin, ListView):
    """The shared map beside a filterable list of the same assets: the list is a full
    alternative to the map. Its unfiltered pages are kept whole for people signed out
    (core.pagecache); inside the project, where everyone sees the same published assets,
    the page's body (the filters, the list and the map's settings) and the map's styles and
    scripts are kept per page and language, and only the menu, the "Add an asset" button,
    the layers the person may see and the nonce are put in per request. Both until the
    published assets change."""

    template_name = "assets/map.html"
    paginate_by = 20
    page_cache_versions = (LAYER_VERSION,)
    page_cache_params = frozenset({"page"})
    # The parts of the page kept for the project: its body, and the map's styles and scripts
    # (the script that starts the map carries the nonce of each response: NONCE_MARK).
    parts = {
        "body": "assets/includes/map_body.html",
        "map_head": "assets/includes/map_head.html",
        "map_scripts": "assets/includes/map_scripts.html",
        "map_start": "assets/includes/map_start.html",
    }

    def get(self, request, *args, **kwargs):
        self.kept = PageFragments(
            request,
            scope="project" if in_project(request.user) else None,
            versions=self.page_cache_versions,
            params=self.page_cache_params,
        )
        parts = self.kept.get("parts")
        if parts is not None:  # no filters, no count, no page of rows: only the page around it
            context = ContextMixin.get_context_data(self, **self._own_context(parts))
            return TemplateResponse(request, self.template_name, context)
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        self.filters = AssetFilterSet(self.request.GET, queryset=published_for(self.request.user))
        return map_list(self.filters.qs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**self._page_context(self.kept), **kwargs)
        context["csp_nonce"] = NONCE_MARK
        parts = {
            name: mark_safe(render_to_string(template, context, self.request))  # noqa: S308
            for name, template in self.parts.items()
        }
        return {**context, **self._own_context(self.kept.set("parts", parts))}

    def _own_context(self, parts: dict) -> dict:
        """The kept parts, and what the page shows around them, which may differ from one
        person to another."""
        nonce = str(self.request.csp_nonce)
        return {
            **parts,
            "map_start": mark_safe(parts["map_start"].replace(NONCE_MARK, nonce)),  # noqa: S308
            "map_layers": [
                {"script": layer.script, "options_url": reverse(layer.options_url_name)}
                for layer in registry.map_layers(self.request.user)
            ],
        }

    def _page_context(self, kept: PageFragments) -> dict:
        query = self.request.GET.copy()
        # The map shows what the list shows: the filters that are right.
        for name in ["page", *self.filters.errors]:
            query.pop(name, None)
        return {
            "filters": self.filters.form.cleaned_data,
            "filter_form": self.filters.form,
            "domains": Domain.choices,
            "categories": kept.get_or_set("categories", _categories),
            "welcoming_choices": WelcomingTo.choices,
            "language_choices": language_choices(),
            "query": query.urlencode(),
            "map_config": self._map_config(query.urlencode(), kept),
        }

    def _map_config(self, query: str, kept: PageFragments) -> dict:
        return {
            "layerUrl": reverse("assets:asset-layer"),
            "detailUrl": reverse("assets:asset-detail", args=[0]),
            "query": query,
            "site": kept.get_or_set("site", site_boundary),
            "moreLabel": gettext("More about this"),
            "countOne": gettext("1 asset on the map in this view"),
            "countMany": gettext("%(count)s assets on the map in this view"),
            "cellsLabel": gettext(
                "%(count)s assets in this view, counted by area. Zoom in, or select a "
                "number, to see each one."
            ),
            "cellLabel": gettext("%(count)s assets here: select to zoom in"),
            "loadingLabel": gettext("Loading the assets on the map…"),
            "failedLabel": gettext(
                "The assets could not be loaded onto the map. The list has every asset."
            ),
            "retryLabel": gettext("Try again"),
            "pointsZoom": settings.MAP_POINTS_ZOOM,
        }


def _categories() -> list[dict]:
    """The top-level categories for the filter, in the active language."""
    categories = AssetCategory.objects.filter(parent__isnull=True)
    return [{"slug": category.slug, "name": category.name} for category in categories]
