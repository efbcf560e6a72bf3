from django.conf import settings
from django.contrib.auth.mixins import AccessMixin
from django.http import HttpResponse
from django.urls import reverse
from django.utils.translation import gettext
from django.views import View
from django.views.generic import ListView

from assets.models import Area, AreaLevel, Asset, AssetCategory, AssetStatus, Domain, WelcomingTo
from assets.selectors import AssetFilters, map_layer
from core import registry
from core.languages import language_choices


class MapAccessMixin(AccessMixin):
    """Everyone when the site's map is public (MAP_PUBLIC); otherwise people with a role."""

    def dispatch(self, request, *args, **kwargs):
        if not settings.MAP_PUBLIC:
            if not request.user.is_authenticated:
                return self.handle_no_permission()
            if not request.user.role:
                self.raise_exception = True
                return self.handle_no_permission()
        return super().dispatch(request, *args, **kwargs)


def published_for(user):
    return Asset.objects.visible_to(user).filter(status=AssetStatus.PUBLISHED)


def bbox_parse(value: str) -> tuple[float, float, float, float] | None:
    try:
        west, south, east, north = (float(part) for part in value.split(","))
    except ValueError:
        return None
    if not (-180 <= west <= east <= 180 and -90 <= south <= north <= 90):
        return None
    return west, south, east, north


class AssetLayerView(MapAccessMixin, View):
    """Published assets in a bounding box (?bbox=west,south,east,north) as lean GeoJSON."""

    def get(self, request):
        assets = AssetFilters.from_query(request.GET).apply(published_for(request.user))
        if bbox := bbox_parse(request.GET.get("bbox", "")):
            assets = assets.in_bbox(*bbox)
        return HttpResponse(map_layer(assets), content_type="application/geo+json")


class AssetMapView(MapAccessMixin, ListView):
    """The shared map beside a filterable list of the same assets: the list is a full
    alternative to the map."""

    template_name = "assets/map.html"
    paginate_by = 20

    def get_queryset(self):
        self.filters = AssetFilters.from_query(self.request.GET)
        return (
            self.filters.apply(published_for(self.request.user))
            .select_related("category")
            .order_by("name", "pk")
        )

    def get_context_data(self, **kwargs):
        site = Area.objects.filter(level=AreaLevel.SITE).only("boundary").first()
        query = self.request.GET.copy()
        query.pop("page", None)
        return super().get_context_data(
            map_layers=[
                {"script": layer.script, "options_url": reverse(layer.options_url_name)}
                for layer in registry.map_layers(self.request.user)
            ],
            filters=self.filters,
            domains=Domain.choices,
            categories=AssetCategory.objects.filter(parent__isnull=True),
            welcoming_choices=WelcomingTo.choices,
            language_choices=language_choices(),
            query=query.urlencode(),
            map_config={
                "layerUrl": reverse("assets:asset-layer"),
                "detailUrl": reverse("assets:asset-detail", args=[0]),
                "query": query.urlencode(),
                "site": site.boundary if site else None,
                "moreLabel": gettext("More about this"),
                "countOne": gettext("1 asset on the map in this view"),
                "countMany": gettext("%(count)s assets on the map in this view"),
            },
            **kwargs,
        )
