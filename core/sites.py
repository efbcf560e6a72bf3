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
from django.db import models
from django.utils.translation import gettext as _

from .models import Role, Site, User
from .pagecache import PersonRead
from .versions import versions_get


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


def scope_key(user, site_ids=None) -> str:
    """A short name for the rows `site_scope` gives this person, for keys of cached figures:
    "all", "none" or the ids of their sites (`site_ids`, already read, or one small query)."""
    if sees_every_site(user):
        return "all"
    if not user.is_authenticated:
        return "none"
    if site_ids is None:
        site_ids = Site.objects.filter(members=user).values_list("pk", flat=True)
    ids = sorted(site_ids)
    return "sites-" + "-".join(map(str, ids)) if ids else "none"


@cache
def _sites_sql() -> str:
    links = User.sites.through._meta
    site, person = (links.get_field(name).column for name in ("site", "user"))
    return f"SELECT {site} AS v FROM {links.db_table} WHERE {person} = %s"


# The person's reach (scope_key) for a kept page, read in the page's one query.
REACH = PersonRead("reach", _sites_sql, scope_key)


def scope_key_with_versions(user, versions: Iterable[str]) -> str:
    """`scope_key(user)` and the current version of each of the data `versions`
    (core.versions), read together in one query: the key under which what the people of one
    scope see of that data is kept (one round trip before the cache, not one per version)."""
    names = tuple(sorted(set(versions)))
    member = user.is_authenticated and not sees_every_site(user)
    if not names and not member:
        return scope_key(user)
    reach = [(REACH.name, REACH.sql(), [user.pk])] if member else []
    found, rows = versions_get(names, rows=reach)
    scope = scope_key(user, rows[REACH.name]) if member else scope_key(user)
    stamps = (f"{value}.{at.timestamp() if at else 0}" for value, at in map(found.get, names))
    return ":".join([scope, *stamps])


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
