from django.conf import settings
from django.http import HttpResponse
from django.urls import reverse
from django.utils.translation import gettext
from django.views import View
from django.views.generic import ListView

from assets.filters import AssetFilterSet
from assets.maps import site_boundary
from assets.models import AssetCategory, Domain, WelcomingTo
from assets.selectors import map_layer, map_list, published_for
from core import registry
from core.filters import bad_filters
from core.languages import language_choices
from core.roles import RoleRequiredMixin


class MapAccessMixin(RoleRequiredMixin):
    """Everyone when the site's map is public (MAP_PUBLIC); otherwise people with a role."""

    def role_required(self) -> bool:
        return not settings.MAP_PUBLIC


class AssetLayerView(MapAccessMixin, View):
    """Published assets in a bounding box (?bbox=west,south,east,north) and the list's filters
    as lean GeoJSON; 400 with each filter's errors when one is not right."""

    def get(self, request):
        filters = AssetFilterSet(request.GET, queryset=published_for(request.user))
        if not filters.is_valid():
            return bad_filters(filters)
        return HttpResponse(map_layer(filters.qs), content_type="application/geo+json")


class AssetMapView(MapAccessMixin, ListView):
    """The shared map beside a filterable list of the same assets: the list is a full
    alternative to the map."""

    template_name = "assets/map.html"
    paginate_by = 20

    def get_queryset(self):
        self.filters = AssetFilterSet(self.request.GET, queryset=published_for(self.request.user))
        return map_list(self.filters.qs)

    def get_context_data(self, **kwargs):
        query = self.request.GET.copy()
        # The map shows what the list shows: the filters that are right.
        for name in ["page", *self.filters.errors]:
            query.pop(name, None)
        return super().get_context_data(
            map_layers=[
                {"script": layer.script, "options_url": reverse(layer.options_url_name)}
                for layer in registry.map_layers(self.request.user)
            ],
            filters=self.filters.form.cleaned_data,
            filter_form=self.filters.form,
            domains=Domain.choices,
            categories=AssetCategory.objects.filter(parent__isnull=True),
            welcoming_choices=WelcomingTo.choices,
            language_choices=language_choices(),
            query=query.urlencode(),
            map_config={
                "layerUrl": reverse("assets:asset-layer"),
                "detailUrl": reverse("assets:asset-detail", args=[0]),
                "query": query.urlencode(),
                "site": site_boundary(),
                "moreLabel": gettext("More about this"),
                "countOne": gettext("1 asset on the map in this view"),
                "countMany": gettext("%(count)s assets on the map in this view"),
            },
            **kwargs,
        )
