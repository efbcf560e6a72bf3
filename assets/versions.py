"""Two versions of asset data (core.versions), beside the published layer's
(assets.maps.LAYER_VERSION):

- `assets:rows`, the asset rows themselves, under which the partner API keeps its lists of
  assets (core.api.kept): the lists show fields the layer does not (a description, the
  contact, when it was last checked), which a change to an asset may change without changing
  what the map shows. Every save or delete of an asset, its areas, a category or an area
  bumps it, by signal; a service that writes an asset with a queryset's update() (which sends
  no signal) calls assets_changed() or assets.maps.published_changed(), which the lists
  follow too.
- `assets:moderation`, what moderation reads: the moderation queue keeps its rendered table
  under it, and the coordinators' home page its counts of submissions waiting and of assets
  due to be re-checked (core.home). A save or delete of an asset (any status: a submission, a
  publication, a re-check, a move to another site) or of a category (the queue shows its
  name), and a change to the username or the participant code the queue shows as who sent
  it, bump it by signal; a service writing assets with update() calls moderation_changed().

Signals cover the Django admin as every service; each bump is inside the writer's
transaction."""

from core.versions import version_bump, version_follows

ROWS_VERSION = "assets:rows"
MODERATION_VERSION = "assets:moderation"


def assets_changed() -> None:
    """Asset rows changed without a signal (call inside the transaction that changed them)."""
    version_bump(ROWS_VERSION)


def moderation_changed() -> None:
    """What moderation reads changed (call inside the transaction that changed it)."""
    version_bump(MODERATION_VERSION)


def signals_connect() -> None:
    from assets.models import Area, Asset, AssetAreas, AssetCategory
    from core.models import User
    from participants.models import Participant

    version_follows(ROWS_VERSION, Asset, AssetAreas, AssetCategory, Area)
    version_follows(MODERATION_VERSION, Asset, AssetCategory)
    version_follows(MODERATION_VERSION, User, fields=frozenset({"username"}))
    version_follows(MODERATION_VERSION, Participant, fields=frozenset({"code"}))
