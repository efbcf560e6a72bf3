"""Granting permissions to the role groups, for the data migrations of every app."""


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
            Group.objects.get(name=role).permissions.add(permission)
