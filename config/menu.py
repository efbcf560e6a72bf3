"""The site's menu: a few top-level items per role, so that it fits one row on a desktop; every
other page is a card on the home page (core.registry Card), the role's landing page. The
layout (templates/base.html, core.chrome) sits above every app and links each app's pages, so
the menu is defined here, with the project (settings.SITE_MENU)."""

from django.utils.translation import gettext_lazy as _

from core.chrome import MenuItem
from core.models import Role


def menu_items(user) -> tuple[MenuItem, ...]:
    """The items `user` sees, in order (core.chrome renders them once per language and set)."""
    role = getattr(user, "role", None)
    can = user.has_perm
    items = [
        MenuItem("core:home", _("Home"), exact=True),
        MenuItem("assets:asset-map", _("Map")),
    ]
    if role == Role.PARTICIPANT:
        items.append(MenuItem("participants:me", _("My page")))
    moderates = can("assets.moderate_asset")
    if can("assets.add_asset") and not moderates:
        items.append(MenuItem("assets:asset-mine", _("My additions")))
    if moderates:
        items.append(MenuItem("assets:moderation", _("Moderation")))
    if can("workshops.view_workshop"):
        items.append(MenuItem("workshops:workshop-list", _("Workshops")))
    if role and role != Role.COORDINATOR:
        items.append(MenuItem("workshops:common-ground", _("Common ground")))
    if can("participants.view_participant"):
        items.append(MenuItem("participants:participant-list", _("Participants")))
        if role != Role.COORDINATOR:
            items.append(MenuItem("indicators:evaluation-report", _("Evaluation")))
    return tuple(items)
