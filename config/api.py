"""The one router of the partner API, mounted at /api/v1/ (outside the language prefix):
each app lists its endpoints in its own `api/` module and this file routes them. The schema
and its interactive docs are at /api/schema/ and /api/docs/.

The URL names are namespaced `api:`; tests/test_api_walk.py requests every one of them with
every kind of key."""

from csp.decorators import csp_update
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.routers import SimpleRouter

from assets.api.urls import OPENREFERRAL_URLS
from assets.api.urls import ROUTES as ASSET_ROUTES
from core.api.urls import ROUTES as CORE_ROUTES
from indicators.api.urls import ROUTES as INDICATOR_ROUTES
from toolkit.api.urls import ROUTES as TOOLKIT_ROUTES
from workshops.api.urls import ROUTES as WORKSHOP_ROUTES

router = SimpleRouter()
for prefix, viewset, basename in [
    *CORE_ROUTES,
    *ASSET_ROUTES,
    *WORKSHOP_ROUTES,
    *INDICATOR_ROUTES,
    *TOOLKIT_ROUTES,
]:
    router.register(prefix, viewset, basename=basename)

app_name = "api"

urlpatterns = [
    path("v1/", include(router.urls)),
    path("openreferral/", include(OPENREFERRAL_URLS)),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    # Swagger UI's style sheet draws its icons as data: images; nothing else is loosened.
    path(
        "docs/",
        csp_update({"img-src": ["data:"]})(
            SpectacularSwaggerSplitView.as_view(
                url_name="api:schema", template_name="api/docs.html"
            )
        ),
        name="docs",
    ),
]
