"""The version of the asset rows themselves (core.versions), under which the partner API
keeps its lists of assets (core.api.kept), beside the published layer's version
(assets.maps.LAYER_VERSION): the lists show fields the layer does not (a description, the
contact, when it was last checked), which a change to an asset may change without changing
what the map shows.

Every save or delete of an asset, its areas, a category or an area bumps it, by signal, so
that the Django admin and every service are covered; a service that writes an asset with a
queryset's update() (which sends no signal) calls assets_changed() or
assets.maps.published_changed(), which the lists follow too."""

from core.versions import version_bump, version_follows

ROWS_VERSION = "assets:rows"


def assets_changed() -> None:
    """Asset rows changed without a signal (call inside the transaction that changed them)."""
    version_bump(ROWS_VERSION)


def signals_connect() -> None:
    from assets.models import Area, Asset, AssetAreas, AssetCategory

    version_follows(ROWS_VERSION, Asset, AssetAreas, AssetCategory, Area)
