"""Issuing sign-ins (accounts for people who may have no e-mail address), and sending a form
once however often it is tapped or resent."""

import secrets
import uuid
from collections.abc import Callable
from functools import cache
from pathlib import Path

from django.conf import settings
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from .audit import account_change_record
from .models import FormSubmission, Organisation, Role, User
from .sites import sites_granted

WORDLISTS = Path(__file__).resolve().parent / "wordlists"
PASSPHRASE_LANGUAGES = ("en", "cy")


@cache
def passphrase_words(language: str = "en") -> tuple[str, ...]:
    """The words passphrases are made of, in English or Welsh (core/wordlists/): short, common,
    concrete words that are easy to say aloud and spell, without homophones or silent letters
    (docs/operations.md gives the strength of four words from each list)."""
    if language not in PASSPHRASE_LANGUAGES:
        language = "en"
    text = (WORDLISTS / f"{language}.txt").read_text(encoding="utf-8")
    return tuple(sorted({word.strip() for word in text.split() if word.strip()}))


def passphrase_generate(language: str = "en") -> str:
    """A new random passphrase such as "lemon-tractor-owl-bridge" (or Welsh words)."""
    words = passphrase_words(language)
    return "-".join(secrets.choice(words) for _ in range(settings.PASSPHRASE_WORDS))


@transaction.atomic
def account_create(
    *,
    username: str,
    role: Role,
    by: User,
    sites=None,
    organisation: Organisation | None = None,
    words: str = "en",
) -> tuple[User, str]:
    """Create an account in a role, in some of `by`'s sites (core.sites.sites_granted: their
    only one if none are chosen), a partner's in their organisation, and return it with its
    passphrase, which is shown only once. A partner reaches every site's published data
    whatever its sites: theirs say which coordinators manage the account. The passphrase is
    made of English or Welsh `words`. The audit log records who issued it."""
    if organisation is not None and role != Role.PARTNER:
        raise ValidationError(_("Only partners belong to an organisation"))
    granted = sites_granted(by=by, sites=sites)
    passphrase = passphrase_generate(words)
    user = User.objects.create_user(
        username=username, password=passphrase, organisation=organisation
    )
    user.groups.add(Group.objects.get(name=role))
    user.sites.set(granted)
    detail = f"sign-in as {role}" + (f" of {organisation.name}" if organisation else "")
    account_change_record(actor=by, account=user, action="create", detail=detail)
    return user, passphrase


@transaction.atomic
def account_passphrase_reset(*, user: User, by: User, words: str = "en") -> str:
    """Give an account a new passphrase of English or Welsh `words` (the old one stops
    working) and return it. Only a superuser may do this for a coordinator. The audit log
    records who did it."""
    if not user.passphrase_reset_allowed_by(by):
        raise ValidationError(
            _(
                "Only a superuser can give a coordinator a new passphrase. Coordinators change "
                "their own under Change passphrase."
            )
        )
    passphrase = passphrase_generate(words)
    user.set_password(passphrase)
    user.save(update_fields=["password"])
    account_change_record(actor=by, account=user, action="change", detail="new passphrase")
    return passphrase


class EditConflict(ValidationError):
    """Someone else saved the record since this edit began; `current` is what they saved."""

    def __init__(self, current):
        super().__init__(_("Someone else changed this since you opened it."))
        self.current = current


def version_of(record) -> str:
    """The version an edit form carries: when the record was last saved."""
    return record.updated_at.isoformat()


def version_check(*, current, seen: str | None) -> None:
    """Refuse an edit begun on an older version of `current` (which the caller has locked
    with select_for_update, so nobody saves between this check and the caller's save).
    An edit that carries no version (a script) is not checked."""
    if seen and seen != version_of(current):
        raise EditConflict(current)


@transaction.atomic
def form_submission_once(*, token: uuid.UUID, user, send: Callable[[], str]) -> tuple[str, bool]:
    """Run `send` (which makes something and returns the address of the page showing it) once
    per form token, and return that address and whether this call made it. A second POST with
    the same token — a double tap, a resend, another tab — makes nothing and gets the first
    one's address. If `send` raises, nothing is kept, so the form can be sent again.

    Concurrent POSTs are safe on PostgreSQL: the second insert of the token waits for the
    first transaction, then fails on the unique index and reads the committed result."""
    user = user if user is not None and user.is_authenticated else None
    try:
        with transaction.atomic():
            submission = FormSubmission.objects.create(token=token, user=user)
    except IntegrityError:
        earlier = FormSubmission.objects.get(token=token)
        if earlier.user_id != (user.pk if user else None) or not earlier.result_url:
            raise ValidationError(
                _("This form was already sent. Open it again to send something new.")
            ) from None
        return earlier.result_url, False
    submission.result_url = send()
    submission.save(update_fields=["result_url"])
    return submission.result_url, True
