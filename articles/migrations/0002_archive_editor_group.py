"""Create the archive_editor group: staff who correct articles, with exactly those permissions."""

from django.db import migrations

EDITOR_GROUP = "archive_editor"
# (model, actions): the corrections an editor makes. Articles and sources come from loading
# source files, so editors change them but never add or delete them.
PERMISSIONS = {
    "article": ("view", "change"),
    "source": ("view", "change"),
    "section": ("view", "change", "add", "delete"),
    "paragraph": ("view", "change"),
    "caption": ("view", "change", "add", "delete"),
    "byline": ("view", "change", "add", "delete"),
    "person": ("view", "change", "add"),
    "personalias": ("view", "add", "change", "delete"),
    "articleedit": ("view", "add", "delete"),  # split and merge articles, and undo it
    "mentionrule": ("view", "add", "change", "delete"),  # correct the persons and places found
    "place": ("view",),
    "mention": ("view",),
}


def create_group(apps, schema_editor):
    from django.contrib.auth.management import create_permissions

    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name=EDITOR_GROUP)
    codenames = [f"{action}_{model}" for model, actions in PERMISSIONS.items() for action in actions]
    permissions = Permission.objects.filter(content_type__app_label="articles", codename__in=codenames)
    assert permissions.count() == len(codenames), "an editor permission is missing"
    group.permissions.set(permissions)


def remove_group(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name=EDITOR_GROUP).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_group, remove_group)]
