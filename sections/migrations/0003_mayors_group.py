from django.db import migrations

MAYORS_GROUP_NAME = "Mayors"  # sections.access.MAYORS_GROUP_NAME, frozen for this migration


def create_mayors_group(apps, schema_editor):
    apps.get_model("auth", "Group").objects.get_or_create(name=MAYORS_GROUP_NAME)


class Migration(migrations.Migration):
    """The group whose members read the closed "Кабінет мера" club, ready for editors to fill."""

    dependencies = [
        ("sections", "0002_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [migrations.RunPython(create_mayors_group, migrations.RunPython.noop)]
