from django.db import migrations

from portal.roles import create_all_permissions, sync_roles


def sync(apps, schema_editor):
    """Put the roles to their definition (portal.roles): every role views 見出しの対応, 入力担当 deletes them."""
    create_all_permissions(apps)
    sync_roles(apps)


class Migration(migrations.Migration):
    dependencies = [
        ("portal", "0006_historical_roster_is_partial"),
        ("trainings", "0012_header_mappings"),
    ]

    operations = [migrations.RunPython(sync, migrations.RunPython.noop)]
