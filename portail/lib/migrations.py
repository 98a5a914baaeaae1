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
