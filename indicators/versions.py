"""The version of what area profiles show (core.versions): indicators, their values, the
area summaries, the areas and the asset categories the summaries name. The profile keeps its
rendered part under it (core.pagecache.PageFragments).

Every write bumps it inside its own transaction: a save or delete of those rows by signal
(the Django admin and every service), and explicitly where the summaries, an import or the
demo write with bulk_create(), which sends no signal (as do the area loads, through
assets.geo.area_version_bump)."""

from core.versions import version_bump, version_follows

INDICATORS_VERSION = "indicators"


def indicators_changed() -> None:
    """What area profiles show changed (call inside the transaction that changed it)."""
    version_bump(INDICATORS_VERSION)


def signals_connect() -> None:
    from assets.models import Area, AssetCategory
    from indicators.models import AreaSummary, Indicator, IndicatorValue

    version_follows(INDICATORS_VERSION, Indicator, IndicatorValue, AreaSummary, Area, AssetCategory)
