"""The sign-in backend: Django's ModelBackend, reading what every signed-in page needs about
its person in one query. A signed-in request read the user, then their groups (for the role:
core.models.User.role), then their own permissions and their groups' permissions for the
menu: four queries before the page's own. Here the role and the permissions come with the
user (two subqueries) in one statement written once per process, so that no request pays
for building it: nothing is kept between requests, so a change of role or permission shows
on the next one."""

from functools import cache

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.models import Q

from core.models import Role

# Each database's aggregate of strings, ',' between them (app labels and codenames have none).
_STRING_AGG = {"postgresql": "string_agg({}, ',')", "sqlite": "group_concat({}, ',')"}


class RoleBackend(ModelBackend):
    def get_user(self, user_id):
        sql, params = _user_query(connection.vendor)
        users = get_user_model()._default_manager.raw(sql, [*params, user_id])
        user = next(iter(users), None)
        if user is None or not self.user_can_authenticate(user):
            return None
        user.__dict__["role"] = user.role_found  # User.role is a cached_property
        if not user.is_superuser:  # a superuser has every permission (ModelBackend's)
            found = user.permissions_found
            user._perm_cache = set(found.split(",")) if found else set()
        return user

    def get_all_permissions(self, user_obj, obj=None):
        if not user_obj.is_active or user_obj.is_anonymous or obj is not None:
            return set()
        if not hasattr(user_obj, "_perm_cache"):
            permissions = Permission.objects.all()
            if not user_obj.is_superuser:
                permissions = permissions.filter(Q(user=user_obj) | Q(group__user=user_obj))
            pairs = permissions.values_list("content_type__app_label", "codename")
            user_obj._perm_cache = {f"{app}.{name}" for app, name in pairs.order_by().distinct()}
        return user_obj._perm_cache


@cache
def _user_query(vendor: str) -> tuple[str, tuple]:
    """The user (the last parameter is their primary key) with `role_found`, the first of
    their groups that is a role in Role's order (as User.role picks), and
    `permissions_found`, their own and their groups' permissions as 'app_label.codename'
    joined by commas (None for none)."""
    q = connection.ops.quote_name
    user_model = get_user_model()
    user_groups = user_model.groups.through._meta
    user_permissions = user_model.user_permissions.through._meta
    group_permissions = Group.permissions.through._meta

    def column(meta, name):
        return q(meta.get_field(name).column)

    def table(meta):
        return q(meta.db_table)

    fields = ", ".join(f"u.{q(f.column)}" for f in user_model._meta.concrete_fields)
    roles = list(Role.values)
    order = " ".join("WHEN %s THEN " + str(i) for i in range(len(roles)))
    role = (
        f"SELECT g.{q('name')} FROM {table(Group._meta)} g"
        f" JOIN {table(user_groups)} ug ON ug.{column(user_groups, 'group')} = g.{q('id')}"
        f" WHERE ug.{column(user_groups, 'user')} = u.{q(user_model._meta.pk.column)}"
        f" AND g.{q('name')} IN ({', '.join(['%s'] * len(roles))})"
        f" ORDER BY CASE g.{q('name')} {order} END LIMIT 1"
    )
    label = f"ct.{q('app_label')} || '.' || p.{q('codename')}"
    user_pk = f"u.{q(user_model._meta.pk.column)}"
    permissions = (
        f"SELECT {_STRING_AGG[vendor].format(label)} FROM {table(Permission._meta)} p"
        f" JOIN {table(ContentType._meta)} ct"
        f" ON ct.{q('id')} = p.{column(Permission._meta, 'content_type')}"
        f" WHERE p.{q('id')} IN (SELECT up.{column(user_permissions, 'permission')}"
        f" FROM {table(user_permissions)} up"
        f" WHERE up.{column(user_permissions, 'user')} = {user_pk})"
        f" OR p.{q('id')} IN (SELECT gp.{column(group_permissions, 'permission')}"
        f" FROM {table(group_permissions)} gp JOIN {table(user_groups)} ug"
        f" ON ug.{column(user_groups, 'group')} = gp.{column(group_permissions, 'group')}"
        f" WHERE ug.{column(user_groups, 'user')} = {user_pk})"
    )
    sql = (
        f"SELECT {fields}, ({role}) AS role_found, ({permissions}) AS permissions_found"
        f" FROM {table(user_model._meta)} u WHERE {user_pk} = %s"
    )
    return sql, (*roles, *roles)
