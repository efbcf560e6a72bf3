"""Sites: which ones a person reaches, and the one rule that scopes every row a site owns
(participants, workshops, barriers, actions, assets waiting for moderation) to them.

- Superusers reach every site.
- Partners reach every site, for the little they may see at all (published assets, barriers
  in aggregate): what is published is published for every site.
- Everyone else signed in reaches the sites they belong to (coordinators, facilitators,
  participants) or were granted (evaluators); someone with no site reaches none.
- Nobody signed out reaches any (the public map and directory are not site-scoped).

A row of another site is then simply not there: a 404, for reading and for changing.
"""

from collections.abc import Iterable
from functools import cache

from django.core.exceptions import ValidationError
from django.db import connection, models
from django.utils.translation import gettext as _

from .models import DataVersion, Role, Site, User


def sees_every_site(user) -> bool:
    return bool(
        user.is_authenticated and (user.is_superuser or getattr(user, "role", None) == Role.PARTNER)
    )


def sites_of(user) -> models.QuerySet:
    """The sites a person reaches (for a choice on a form, or to grant to others)."""
    if sees_every_site(user):
        return Site.objects.all()
    if not user.is_authenticated:
        return Site.objects.none()
    return Site.objects.filter(members=user)


def site_scope(queryset: models.QuerySet, user, *, field: str = "site") -> models.QuerySet:
    """`queryset` cut to the rows whose `field` (a lookup to a Site) the person reaches.
    A subquery, so it adds no query of its own."""
    if sees_every_site(user):
        return queryset
    if not user.is_authenticated:
        return queryset.none()
    return queryset.filter(**{f"{field}__in": Site.objects.filter(members=user).values("pk")})


def scope_key(user) -> str:
    """A short name for the rows `site_scope` gives this person, for keys of cached figures:
    "all", "none" or the ids of their sites (one small query)."""
    if sees_every_site(user):
        return "all"
    if not user.is_authenticated:
        return "none"
    ids = Site.objects.filter(members=user).order_by("pk").values_list("pk", flat=True)
    return "sites-" + "-".join(map(str, ids)) if ids else "none"


def scope_key_with_versions(user, versions: Iterable[str]) -> str:
    """`scope_key(user)` and the current version of each of the data `versions`
    (core.versions), read together in one query: the key under which what the people of one
    scope see of that data is kept (one round trip before the cache, not one per version)."""
    names = tuple(sorted(set(versions)))
    member = None
    if sees_every_site(user):
        scope = "all"
    elif user.is_authenticated:
        member = user.pk
    else:
        scope = "none"
    if not names and member is None:
        return scope
    with connection.cursor() as cursor:
        sql = _scope_versions_sql(len(names), member is not None)
        cursor.execute(sql, [*names] if member is None else [*names, member])
        rows = cursor.fetchall()
    if member is not None:
        ids = sorted(value for name, value, _at in rows if name is None)
        scope = "sites-" + "-".join(map(str, ids)) if ids else "none"
    found = {name: f"{value}.{_stamp(at)}" for name, value, at in rows if name is not None}
    return ":".join([scope, *(found.get(name, "0.0") for name in names)])


def _stamp(changed_at) -> str:
    return str(changed_at.timestamp()) if hasattr(changed_at, "timestamp") else str(changed_at)


@cache
def _scope_versions_sql(versions: int, member: bool) -> str:
    """The versions' rows (name, value, changed_at), then with `member` one row (NULL, site
    id, NULL) per site of the person whose primary key is the last parameter."""
    q = connection.ops.quote_name
    parts = []
    if versions:
        table = q(DataVersion._meta.db_table)
        placeholders = ", ".join(["%s"] * versions)
        parts.append(
            f"SELECT {q('name')}, {q('value')}, {q('changed_at')} FROM {table}"
            f" WHERE {q('name')} IN ({placeholders})"
        )
    if member:
        through = User.sites.through._meta
        site = q(through.get_field("site").column)
        user = q(through.get_field("user").column)
        parts.append(f"SELECT NULL, {site}, NULL FROM {q(through.db_table)} WHERE {user} = %s")
    return " UNION ALL ".join(parts)


class SiteScopedQuerySet(models.QuerySet):
    """For models owned by a site: `for_user(user)` is what that person reaches,
    `in_sites(sites)` the rows of some sites. `site_field` says where the site is."""

    site_field = "site"

    def for_user(self, user):
        return site_scope(self, user, field=self.site_field)

    def in_sites(self, sites):
        return self.filter(**{f"{self.site_field}__in": sites})


def site_resolve(*, user, site: Site | None = None) -> Site:
    """The site something new that `user` makes belongs to: the one chosen, if they reach
    it; otherwise their only site. Someone with several sites must choose; someone with
    none cannot make anything that belongs to a site."""
    allowed = sites_of(user)
    if site is not None:
        if not allowed.filter(pk=site.pk).exists():
            raise ValidationError(_("You can only add to your own sites."))
        return site
    found = list(allowed[:2])
    if len(found) == 1:
        return found[0]
    if found:
        raise ValidationError(_("Choose a site"))
    raise ValidationError(
        _("Your account belongs to no site yet. Ask a coordinator to add you to one.")
    )


def sites_granted(*, by, sites=None) -> list[Site]:
    """The sites `by` grants to an account they make: those chosen, all of them among their
    own; none chosen, their only site."""
    allowed = sites_of(by)
    if sites:
        sites = list(sites)
        if allowed.filter(pk__in=[site.pk for site in sites]).count() != len(set(sites)):
            raise ValidationError(_("You can only grant your own sites."))
        return sites
    return [site_resolve(user=by)]


def accounts_visible_to(user) -> models.QuerySet:
    """The accounts a coordinator sees and manages: those in any of their sites (every
    account, for a superuser)."""
    if user.is_superuser:
        return User.objects.all()
    mine = Site.objects.filter(members=user).values("pk")
    return User.objects.filter(
        pk__in=User.objects.filter(sites__in=mine).values("pk"), is_superuser=False
    )


def first_site_for_migration(apps, *, slug: str = "townhill-mayhill"):
    """For data migrations: the first site, made if there is none (rows that existed before
    sites all belonged to the one test site, Townhill and Mayhill)."""
    Site = apps.get_model("core", "Site")
    site = Site.objects.order_by("pk").first()
    if site is None:
        site = Site.objects.create(
            slug=slug, name_en="Townhill and Mayhill", name_cy="Townhill a Mayhill"
        )
    return site
