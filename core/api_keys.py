"""Partner API keys: issued by coordinators per partner organisation, shown once, stored as
a SHA-256 hash, revocable; every issue and revocation is in the audit log."""

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from functools import cache

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import Subquery
from django.utils import timezone
from django.utils.translation import gettext as _

from .audit import event_record
from .models import ApiKey, ApiScope, DataVersion, Organisation, User

# "cym_" + 43 URL-safe characters (32 random bytes). The first PREFIX_LENGTH characters are
# the prefix: shown in lists, and how a presented key finds its row.
KEY_START = "cym_"
PREFIX_LENGTH = 12


def secret_hash(secret: str) -> str:
    """The SHA-256 of a key, as stored. A key is 256 random bits, so no salt or slow hash is
    needed: nobody can guess one from its hash."""
    return hashlib.sha256(secret.encode()).hexdigest()


@transaction.atomic
def api_key_issue(
    *, organisation: Organisation, name: str, scope: ApiScope, by: User
) -> tuple[ApiKey, str]:
    """Issue a key to a partner organisation and return it with its secret, which is never
    stored and cannot be shown again."""
    name = name.strip()
    if not name:
        raise ValidationError(_("Enter a name for the key"))
    if scope not in ApiScope.values:
        raise ValidationError(_("Choose what the key may read"))
    secret = KEY_START + secrets.token_urlsafe(32)
    key = ApiKey.objects.create(
        organisation=organisation,
        name=name,
        prefix=secret[:PREFIX_LENGTH],
        secret_hash=secret_hash(secret),
        scope=scope,
        created_by=by,
    )
    event_record(
        actor=by,
        action="create",
        subject="API key",
        detail=f"{organisation.name}: key {key.prefix}… “{name}”, scope {scope}",
    )
    return key, secret


@transaction.atomic
def api_key_revoke(*, key: ApiKey, by: User) -> ApiKey:
    """Revoke a key: it stops working at once. Revoking a revoked key changes nothing."""
    now = timezone.now()
    if ApiKey.objects.filter(pk=key.pk, revoked_at__isnull=True).update(revoked_at=now):
        key.revoked_at = now
        event_record(
            actor=by,
            action="change",
            subject="API key",
            detail=f"{key.organisation.name}: key {key.prefix}… “{key.name}” revoked",
        )
    else:
        key.refresh_from_db(fields=["revoked_at"])
    return key


def api_key_find(secret: str, *, versions: tuple[str, ...] = ()) -> ApiKey | None:
    """The key (revoked or not) whose secret this is, or None. Compared in constant time on
    the hash, after the prefix narrows the search. With `versions` (core.versions names),
    the key's `data_versions` holds each one's (value, changed_at), read in the same query:
    what a view keeps per data version costs its request no query of its own."""
    if not secret.startswith(KEY_START) or len(secret) > 100:
        return None
    presented = secret_hash(secret)
    query = _candidates_query(versions)
    params = [secret[:PREFIX_LENGTH] if p == PREFIX_MARK else p for p in query.params]
    with connection.cursor() as cursor:
        cursor.execute(query.sql, params)
        rows = cursor.fetchall()
    names = [field.attname for field in ApiKey._meta.concrete_fields]
    for row in rows:
        row = query.converted(row)
        key = ApiKey.from_db(connection.alias, names, row[: len(names)])
        if hmac.compare_digest(key.secret_hash, presented):
            found = iter(row[len(names) :])
            key.data_versions = {name: (next(found) or 0, next(found)) for name in versions}
            return key
    return None


PREFIX_MARK = "<the presented prefix>"  # never a prefix: those start with KEY_START


@dataclass(frozen=True)
class CompiledQuery:
    sql: str
    params: tuple
    converters: list  # (column, functions, expression), as Django's compiler applies them

    def converted(self, row: tuple) -> list:
        row = list(row)
        for n, functions, expression in self.converters:
            for function in functions:
                row[n] = function(row[n], expression, connection)
        return row


@cache
def _candidates_query(versions: tuple[str, ...]) -> CompiledQuery:
    """The keys with a prefix (PREFIX_MARK in the params) and each version's value and change
    time (a subquery on its primary key), compiled once per process: on every request the
    query costs its round trip, not the ORM's work of building it."""
    candidates = ApiKey.objects.filter(prefix=PREFIX_MARK).order_by()  # one table, its index
    for n, name in enumerate(versions):
        version = DataVersion.objects.filter(name=name)
        candidates = candidates.annotate(
            **{
                f"version_{n}": Subquery(version.values("value")),
                f"version_{n}_at": Subquery(version.values("changed_at")),
            }
        )
    compiler = candidates.query.get_compiler(using=candidates.db)
    sql, params = compiler.as_sql()
    selected = [column for column, _sql, _alias in compiler.select[: compiler.col_count]]
    converters = [
        (n, functions, expression)
        for n, (functions, expression) in compiler.get_converters(selected).items()
    ]
    return CompiledQuery(sql, tuple(params), converters)


@transaction.atomic
def organisation_create(*, name: str, by: User) -> Organisation:
    """A new partner organisation, in the audit log."""
    name = name.strip()
    if Organisation.objects.filter(name__iexact=name).exists():
        raise ValidationError(
            _("There is already an organisation called %(name)s."), params={"name": name}
        )
    organisation = Organisation.objects.create(name=name)
    event_record(actor=by, action="create", subject="organisation", detail=name)
    return organisation
