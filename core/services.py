"""Issuing sign-ins: accounts for people who may have no e-mail address."""

from functools import cache

from django.conf import settings
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from xkcdpass import xkcd_password

from .audit import account_change_record
from .models import Role, User


@cache
def _wordlist() -> list[str]:
    # The EFF short list: 1,296 short, common, easy-to-spell words, chosen for people typing on
    # phones; with sign-in throttling, four words are plenty.
    return xkcd_password.generate_wordlist(
        wordfile=xkcd_password.locate_wordfile("eff-short"), min_length=3, max_length=6
    )


def passphrase_generate() -> str:
    """A new random passphrase such as "acorn-lunar-cozy-stamp"."""
    return xkcd_password.generate_xkcdpassword(
        _wordlist(), numwords=settings.PASSPHRASE_WORDS, delimiter="-"
    )


@transaction.atomic
def account_create(*, username: str, role: Role, by: User) -> tuple[User, str]:
    """Create an account in a role and return it with its passphrase, which is shown only once.
    The audit log records who issued it."""
    passphrase = passphrase_generate()
    user = User.objects.create_user(username=username, password=passphrase)
    user.groups.add(Group.objects.get(name=role))
    account_change_record(actor=by, account=user, action="create", detail=f"sign-in as {role}")
    return user, passphrase


@transaction.atomic
def account_passphrase_reset(*, user: User, by: User) -> str:
    """Give an account a new passphrase (the old one stops working) and return it. Only a
    superuser may do this for a coordinator. The audit log records who did it."""
    if not user.passphrase_reset_allowed_by(by):
        raise ValidationError(
            _(
                "Only a superuser can give a coordinator a new passphrase. Coordinators change "
                "their own under Change passphrase."
            )
        )
    passphrase = passphrase_generate()
    user.set_password(passphrase)
    user.save(update_fields=["password"])
    account_change_record(actor=by, account=user, action="change", detail="new passphrase")
    return passphrase
