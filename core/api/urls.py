"""Core's part of the partner API (routed by config/api.py)."""

from .views import SiteViewSet

ROUTES = [("sites", SiteViewSet, "site")]
