"""The assets app's part of the partner API (routed by config/api.py)."""

from .views import AreaViewSet, AssetViewSet, CategoryViewSet

ROUTES = [
    ("categories", CategoryViewSet, "category"),
    ("assets", AssetViewSet, "asset"),
    ("areas", AreaViewSet, "area"),
]
