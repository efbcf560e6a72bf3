"""Reads for the coordinators' account pages."""

from django.db.models import QuerySet

from core.models import Role
from core.sites import accounts_visible_to


def accounts_listed(*, user, role: str = "") -> QuerySet:
    """The sign-in accounts `user` manages (those in their sites: core.sites), by username,
    or those in one role (an unknown role: every one)."""
    accounts = accounts_visible_to(user).prefetch_related("groups", "sites").order_by("username")
    if role in Role.values:
        accounts = accounts.filter(groups__name=role)
    return accounts
