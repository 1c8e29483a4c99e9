"""Create the three staff roles (入力担当, 管理職, システム管理者) as groups with their permissions."""

from django.db import migrations

from portal.roles import ROLES, create_all_permissions, sync_roles


def create_roles(apps, schema_editor):
    # Permissions are normally created after migrate (post_migrate); the groups need them now.
    create_all_permissions(apps)
    # Models added by later migrations (outreach.Achievement) get their rights from those.
    sync_roles(apps, later_models_ok=True)


def remove_roles(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=ROLES).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("portal", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("axes", "0010_accessattemptexpiration"),
        ("partners", "0002_load_wards"),
        ("trainings", "0003_import_permission_and_pending_uploads"),
        ("outreach", "0002_case_event_position"),
    ]

    operations = [migrations.RunPython(create_roles, remove_roles)]
