from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path

from core import views as core_views
from core.tiles import stub_tile

urlpatterns = [
    path("healthz", core_views.healthz, name="healthz"),
    path("admin/", admin.site.urls),
    path("api/", include("config.api")),
]

if settings.MAP_TILES_STUB:  # tests only: tiles without the internet
    urlpatterns.append(path("test-tiles/<int:z>/<int:x>/<int:y>.png", stub_tile, name="test-tile"))

urlpatterns += i18n_patterns(
    path("", include("core.urls")),
    path("", include("assets.urls")),
    path("", include("participants.urls")),
    path("", include("workshops.urls")),
    path("", include("toolkit.urls")),
    path("", include("indicators.urls")),
    prefix_default_language=True,
)
