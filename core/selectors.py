"""Reads for the coordinators' account pages."""

from django.db.models import QuerySet

from core.models import Role, User


def accounts_listed(*, role: str = "") -> QuerySet:
    """Every sign-in account by username, or those in one role (an unknown role: every one)."""
    accounts = User.objects.prefetch_related("groups").order_by("username")
    if role in Role.values:
        accounts = accounts.filter(groups__name=role)
    return accounts
