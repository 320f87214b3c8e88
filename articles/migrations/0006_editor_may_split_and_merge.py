"""Let the archive_editor group split and merge articles (and undo it)."""

from django.db import migrations

CODENAMES = ["view_articleedit", "add_articleedit", "delete_articleedit"]


def grant(apps, schema_editor):
    from django.contrib.auth.management import create_permissions

    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group = Group.objects.get(name="archive_editor")
    group.permissions.add(*Permission.objects.filter(content_type__app_label="articles", codename__in=CODENAMES))


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group = Group.objects.filter(name="archive_editor").first()
    if group:
        group.permissions.remove(*Permission.objects.filter(codename__in=CODENAMES))


class Migration(migrations.Migration):
    dependencies = [("articles", "0005_article_edits")]

    operations = [migrations.RunPython(grant, revoke)]
