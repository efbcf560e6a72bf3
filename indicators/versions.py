"""The version of what area profiles show (core.versions): indicators, their values, the
area summaries, the areas and the asset categories the summaries name. The profile keeps its
rendered part under it (core.pagecache.PageFragments).

Every write bumps it inside its own transaction: a save or delete of those rows by signal
(the Django admin and every service), and explicitly where the summaries, an import or the
demo write with bulk_create(), which sends no signal (as do the area loads, through
assets.geo.area_version_bump)."""

from django.db.models.signals import post_delete, post_save

from core.versions import version_bump

INDICATORS_VERSION = "indicators"


def indicators_changed() -> None:
    """What area profiles show changed (call inside the transaction that changed it)."""
    version_bump(INDICATORS_VERSION)


def _changed(sender, **kwargs) -> None:
    indicators_changed()


def signals_connect() -> None:
    from assets.models import Area, AssetCategory
    from indicators.models import AreaSummary, Indicator, IndicatorValue

    for model in (Indicator, IndicatorValue, AreaSummary, Area, AssetCategory):
        uid = f"indicators-version-{model._meta.label}"
        post_save.connect(_changed, sender=model, dispatch_uid=uid)
        post_delete.connect(_changed, sender=model, dispatch_uid=uid)
