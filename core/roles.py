"""Roles in views and migrations: a view that needs someone with a role, and granting
permissions to the role groups for the data migrations of every app."""

from django.contrib.auth.mixins import AccessMixin


class RoleRequiredMixin(AccessMixin):
    """Anyone signed in with one of the five roles; a sign-in with no role is refused. A view
    whose pages are sometimes public says when by overriding `role_required`."""

    def role_required(self) -> bool:
        return True

    def dispatch(self, request, *args, **kwargs):
        if self.role_required():
            if not request.user.is_authenticated:
                return self.handle_no_permission()
            if not request.user.role:
                self.raise_exception = True
                return self.handle_no_permission()
        return super().dispatch(request, *args, **kwargs)


def grant_permissions(apps, grants: dict[tuple[str, str, str], list[str]]) -> None:
    """grants: {(app_label, model, codename): [role, …]}. Creates a permission that does not
    exist yet (migrations run before Django's post-migrate step makes them)."""
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    ContentType = apps.get_model("contenttypes", "ContentType")
    for (app_label, model, codename), roles in grants.items():
        content_type, _ = ContentType.objects.get_or_create(app_label=app_label, model=model)
        permission, _ = Permission.objects.get_or_create(
            content_type=content_type, codename=codename, defaults={"name": codename}
        )
        for role in roles:
            # get_or_create: a database flushed by a test (or made by hand) may lack the groups.
            Group.objects.get_or_create(name=role)[0].permissions.add(permission)
