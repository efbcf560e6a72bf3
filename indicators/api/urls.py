"""The indicators app's part of the partner API (routed by config/api.py)."""

from .views import AreaSummaryViewSet, IndicatorValueViewSet, IndicatorViewSet

ROUTES = [
    ("indicators", IndicatorViewSet, "indicator"),
    ("indicator-values", IndicatorValueViewSet, "indicatorvalue"),
    ("area-summaries", AreaSummaryViewSet, "areasummary"),
]
