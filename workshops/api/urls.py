"""The workshops app's part of the partner API (routed by config/api.py)."""

from .views import ActionViewSet, BarrierViewSet, WorkshopViewSet

ROUTES = [
    ("barriers", BarrierViewSet, "barrier"),
    ("actions", ActionViewSet, "action"),
    ("workshops", WorkshopViewSet, "workshop"),
]
