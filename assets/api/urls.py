"""The assets app's part of the partner API (routed by config/api.py)."""

from django.urls import path

from . import openreferral
from .views import AreaViewSet, AssetViewSet, CategoryViewSet

ROUTES = [
    ("categories", CategoryViewSet, "category"),
    ("assets", AssetViewSet, "asset"),
    ("areas", AreaViewSet, "area"),
]

# Open Referral UK, at /api/openreferral/ (names `api:openreferral-…`).
OPENREFERRAL_URLS = [
    path("services", openreferral.ServiceList.as_view(), name="openreferral-services"),
    path(
        "services/<str:id>",
        openreferral.ServiceDetail.as_view(),
        name="openreferral-service",
    ),
    path(
        "service_at_locations",
        openreferral.ServiceAtLocationList.as_view(),
        name="openreferral-service-at-locations",
    ),
    path(
        "organizations",
        openreferral.OrganizationList.as_view(),
        name="openreferral-organizations",
    ),
    path("taxonomies", openreferral.TaxonomyList.as_view(), name="openreferral-taxonomies"),
    path(
        "taxonomy_terms",
        openreferral.TaxonomyTermList.as_view(),
        name="openreferral-taxonomy-terms",
    ),
]
