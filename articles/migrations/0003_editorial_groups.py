from django.contrib.auth.management import create_permissions
from django.db import migrations

CHILDREN = ["byline", "section", "quote", "moreonlink"]

WRITER_PERMISSIONS = [
    ("articles", "add_article"),
    ("articles", "change_article"),
    ("articles", "view_article"),
    *[("articles", f"{action}_{model}") for model in CHILDREN for action in ("add", "change", "delete", "view")],
    ("articles", "view_category"),
    ("articles", "view_author"),
    ("taggit", "view_tag"),
]

EDITOR_MODELS = {
    "articles": ["article", "category", "author", "correction", *CHILDREN],
    "taggit": ["tag"],
}


def create_groups(apps, schema_editor):
    # Permissions are normally created after all migrations have run; the
    # groups need them now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")

    def permissions(pairs):
        return [
            Permission.objects.get(content_type__app_label=app, codename=codename)
            for app, codename in pairs
        ]

    writers, _ = Group.objects.get_or_create(name="Writers")
    writers.permissions.set(permissions(WRITER_PERMISSIONS))

    editor_pairs = [
        (app, f"{action}_{model}")
        for app, models in EDITOR_MODELS.items()
        for model in models
        for action in ("add", "change", "delete", "view")
    ]
    editors, _ = Group.objects.get_or_create(name="Editors")
    editors.permissions.set(permissions([*editor_pairs, ("articles", "publish_article")]))


def remove_groups(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=["Writers", "Editors"]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0002_editorial_workflow"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("taggit", "0006_rename_taggeditem_content_type_object_id_taggit_tagg_content_8fc721_idx"),
    ]

    operations = [migrations.RunPython(create_groups, remove_groups)]
