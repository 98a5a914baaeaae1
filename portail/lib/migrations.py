"""Helpers for data migrations that give the staff groups their permissions.

Each app grants its own models' permissions in its own migration, so that the groups
grow with the apps and no app reaches into another.
"""

from django.contrib.auth.management import create_permissions


def grant_permissions(apps, grants: dict[str, list[tuple[str, str]]]) -> None:
    """grants: {group name: [(app_label, codename), …]}; groups are created if missing."""
    # Permissions are normally created after all migrations ran; make sure they exist now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, perms in grants.items():
        group, _ = Group.objects.get_or_create(name=name)
        for app_label, codename in perms:
            group.permissions.add(
                Permission.objects.get(content_type__app_label=app_label, codename=codename)
            )


def revoke_permissions(apps, revokes: dict[str, list[tuple[str, str]]]) -> None:
    """revokes: {group name: [(app_label, codename), …]}; "*" names every group.

    A codename ending in "*" revokes every permission that starts with it ("auth", "*").
    """
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, perms in revokes.items():
        groups = Group.objects.all() if name == "*" else Group.objects.filter(name=name)
        for app_label, codename in perms:
            matching = Permission.objects.filter(content_type__app_label=app_label)
            if codename.endswith("*"):
                matching = matching.filter(codename__startswith=codename[:-1])
            else:
                matching = matching.filter(codename=codename)
            for group in groups:
                group.permissions.remove(*matching)
