"""Data versions (core.models.DataVersion): a number per kind of data that every service
changing that data bumps inside its own transaction, so that what is computed from the data
(a map layer, a summary) can be cached under the version and served with an ETag until the
next change. A bump commits or rolls back with the change; a reader that sees the new
version also sees the new data."""

from collections.abc import Iterable, Sequence
from datetime import UTC, datetime

from django.db import IntegrityError, connection, transaction
from django.db.models import F
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from core.models import DataVersion


def version_bump(name: str) -> None:
    """The data called `name` changed (call it inside the transaction that changed it).

    A bump holds its version's row until the transaction ends, and one transaction may bump
    several (an asset saved, its areas, the workshops' pages): two that bumped the same two in
    opposite orders would wait for each other. So every bump first takes every version's
    row, always in the order of their names (again, in the same transaction, at no cost): the
    transactions that bump queue up behind the first, and never deadlock on versions."""
    now = timezone.now()
    if transaction.get_connection().in_atomic_block:
        list(DataVersion.objects.select_for_update().order_by("name").values_list("name"))
    if DataVersion.objects.filter(name=name).update(value=F("value") + 1, changed_at=now):
        return
    try:
        with transaction.atomic():
            DataVersion.objects.create(name=name, value=1, changed_at=now)
    except IntegrityError:  # created by a concurrent first bump
        DataVersion.objects.filter(name=name).update(value=F("value") + 1, changed_at=now)


def version_get(name: str) -> tuple[int, datetime | None]:
    """The current version of `name` and when it last changed; (0, None) before any change."""
    return versions_get((name,))[0][name]


def versions_get(
    names: Iterable[str], *, rows: Sequence[tuple[str, str, list]] = ()
) -> tuple[dict[str, tuple[int, datetime | None]], dict[str, list]]:
    """The versions called `names` (as version_get gives them), and with them, in the same
    query, the values of each of `rows`: (label, a SELECT of one column named v, its
    parameters).

    One statement written out, not the ORM: a page that is kept under its versions reads
    them on every request, and building a query costs more than running this one. One
    statement, so the versions and the rows are of the same moment of the data."""
    names = list(names)
    parts, params = [], []
    if names:
        parts.append(_VERSIONS_SQL.format(", ".join(["%s"] * len(names))))
        params += names
    for label, sql, row_params in rows:
        parts.append(f"SELECT 1, %s, r.v, NULL FROM ({sql}) r")
        params += [label, *row_params]
    found_versions = dict.fromkeys(names, (0, None))
    found_rows: dict[str, list] = {label: [] for label, _sql, _params in rows}
    if not parts:
        return found_versions, found_rows
    with connection.cursor() as cursor:
        cursor.execute(" UNION ALL ".join(parts), params)
        for is_row, label, value, changed_at in cursor.fetchall():
            if is_row:
                found_rows[label].append(value)
            else:
                found_versions[label] = (value, _moment(changed_at))
    return found_versions, found_rows


_VERSIONS_SQL = (
    f"SELECT 0, name, value, changed_at FROM {DataVersion._meta.db_table} WHERE name IN ({{}})"
)


def _moment(value) -> datetime | None:
    """A moment as the database gave it (SQLite: text, in UTC) as an aware datetime."""
    if isinstance(value, str):
        value = parse_datetime(value)
    if value is not None and timezone.is_naive(value):
        value = value.replace(tzinfo=UTC)
    return value


def version_follows(
    name: str, *models, links: bool = False, fields: frozenset[str] | None = None
) -> None:
    """Bump `name` whenever a row of one of `models` is saved or deleted, and with links=True
    when their many-to-many links change: by signal, so the Django admin is covered as every
    service is. Writes that send no signal (update(), bulk_create()) call version_bump
    themselves. With `fields`, only a save that may have changed one of them bumps: a save
    naming its update_fields (a sign-in noting last_login) names none of them."""

    def changed(sender, **kwargs) -> None:
        version_bump(name)

    def saved(sender, update_fields=None, **kwargs) -> None:
        if fields is None or update_fields is None or fields & set(update_fields):
            version_bump(name)

    for model in models:
        uid = f"{name}-version-{model._meta.label}"
        post_save.connect(saved, sender=model, dispatch_uid=uid, weak=False)
        post_delete.connect(changed, sender=model, dispatch_uid=uid, weak=False)
        for field in model._meta.local_many_to_many if links else ():
            m2m_changed.connect(
                changed,
                sender=field.remote_field.through,
                dispatch_uid=f"{uid}-{field.name}",
                weak=False,
            )
