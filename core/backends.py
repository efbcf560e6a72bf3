"""The sign-in backend: Django's ModelBackend, reading what every signed-in page needs about
its person in fewer queries. A signed-in request read the user, then their groups (for the
role: core.models.User.role), then their own permissions and their groups' permissions for
the menu: four queries before the page's own. Here the role comes with the user (a
subquery) and the permissions in one query, both on every request as before: nothing is
kept between requests, so a change of role or permission shows on the next one."""

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import Group, Permission
from django.db.models import Case, OuterRef, Q, Subquery, Value, When

from core.models import Role


class RoleBackend(ModelBackend):
    def get_user(self, user_id):
        users = get_user_model()._default_manager.annotate(role_found=Subquery(_role_of_user()))
        user = users.filter(pk=user_id).first()
        if user is None or not self.user_can_authenticate(user):
            return None
        user.__dict__["role"] = user.role_found  # User.role is a cached_property
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


def _role_of_user():
    """The first of the user's groups that is a role, in Role's order (as User.role picks)."""
    order = Case(*(When(name=role, then=Value(i)) for i, role in enumerate(Role.values)))
    return (
        Group.objects.filter(user=OuterRef("pk"), name__in=Role.values)
        .order_by(order)
        .values("name")[:1]
    )
