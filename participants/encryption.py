"""The keys participants' personal details are encrypted with.

django-fernet-encrypted-fields derives one key from DJANGO_SECRET_KEY and each salt in
PERSONAL_DATA_SALT_KEYS: the first encrypts, all of them decrypt (so a new salt goes first
when rotating). On its own, the library hands back the ciphertext as if it were the value when
no key fits, and saving that encrypts the ciphertext again, losing the real value for good.
The fields here read such a value as `Undecryptable` instead, write it back exactly as it was
stored, and never serialise a plain value (dumpdata and the site export carry ciphertext).
A canary row, written with the keys at the first migrate, lets `check --deploy` tell a wrong
key before anyone opens a page (docs/operations.md, "Keys")."""

from cryptography.fernet import InvalidToken
from django.apps import apps
from django.core import checks
from django.core.signals import setting_changed
from django.db import DatabaseError
from django.dispatch import receiver
from django.utils.translation import gettext_lazy as _
from encrypted_fields import fields

CANARY = "cymuned personal-data key canary"
KEY_SETTINGS = {"SECRET_KEY", "SECRET_KEY_FALLBACKS", "SALT_KEY"}

UNDECRYPTABLE_MESSAGE = _(
    "These details were encrypted with a key this installation does not have, so they cannot "
    "be shown or changed. Nothing was saved over them. Ask whoever runs the site to restore "
    "the keys (DJANGO_SECRET_KEY and PERSONAL_DATA_SALT_KEYS)."
)


class Undecryptable(str):
    """A stored value that none of the configured keys decrypts: its text is the ciphertext,
    kept only so that saving the row writes it back unchanged."""


class _Detectable:
    def from_db_value(self, value, expression, connection):
        if not value:
            return value
        try:
            return self.f.decrypt(value.encode("utf-8")).decode("utf-8")
        except (InvalidToken, UnicodeError):
            return Undecryptable(value)

    def get_prep_value(self, value):
        if isinstance(value, Undecryptable):
            return str(value)  # as it was stored: encrypting it again would lose it
        return super().get_prep_value(value)

    def value_to_string(self, obj):
        return self.get_prep_value(self.value_from_object(obj))


class EncryptedCharField(_Detectable, fields.EncryptedCharField):
    pass


class EncryptedEmailField(_Detectable, fields.EncryptedEmailField):
    pass


class EncryptedTextField(_Detectable, fields.EncryptedTextField):
    pass


def encrypted_fields() -> list:
    return [
        field
        for model in apps.get_models()
        for field in model._meta.concrete_fields
        if isinstance(field, fields.EncryptedFieldMixin)
    ]


@receiver(setting_changed)
def _keys_forget(*, setting, **kwargs):
    """The library derives its keys once per field; derive them again when the settings
    they come from change (tests, and the rotation command's own checks)."""
    if setting in KEY_SETTINGS:
        for field in encrypted_fields():
            field.__dict__.pop("keys", None)
            field.__dict__.pop("f", None)


def canary_write(*, using="default", **kwargs) -> None:
    """Write the canary with the current keys unless the database has one (post_migrate)."""
    from participants.models import KeyCanary

    if "apps" in kwargs:
        try:
            kwargs["apps"].get_model("participants", "KeyCanary")
        except LookupError:  # migrated back to before the canary existed
            return
    KeyCanary.objects.using(using).get_or_create(pk=1, defaults={"token": CANARY})


def keys_problem() -> str | None:
    """Why the configured keys cannot decrypt personal details, or None if they can (or if
    there is nothing yet to check them against)."""
    from participants.models import KeyCanary

    try:
        canary = KeyCanary.objects.first()
    except DatabaseError:  # not migrated yet: nothing was encrypted
        return None
    if canary is None or canary.token == CANARY:
        return None
    return (
        "Participants' personal details cannot be decrypted with the configured keys "
        "(DJANGO_SECRET_KEY and PERSONAL_DATA_SALT_KEYS): the key canary does not decrypt."
    )


HINT = (
    "Set DJANGO_SECRET_KEY and PERSONAL_DATA_SALT_KEYS to the values the data was encrypted "
    "with (from the key escrow; see docs/operations.md). Do not edit personal details until "
    "this check passes."
)


def keys_check_deploy(app_configs=None, **kwargs):
    problem = keys_problem()
    return [checks.Error(problem, hint=HINT, id="participants.E001")] if problem else []


def keys_check_migrate(app_configs=None, databases=None, **kwargs):
    # Database checks run only when given databases (migrate, check --database).
    problem = keys_problem() if databases else None
    return [checks.Warning(problem, hint=HINT, id="participants.W001")] if problem else []
