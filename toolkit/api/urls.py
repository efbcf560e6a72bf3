"""The toolkit app's part of the partner API (routed by config/api.py)."""

from .views import ToolkitViewSet

ROUTES = [("toolkits", ToolkitViewSet, "toolkit")]
