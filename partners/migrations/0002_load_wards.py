"""Load Yokohama's 18 wards with their official local-government codes (総務省 全国地方公共団体コード)."""

from django.db import migrations

from partners.wards import WARDS, ensure_wards


def load_wards(apps, schema_editor):
    ensure_wards(apps.get_model("partners", "Ward"))


def unload_wards(apps, schema_editor):
    Ward = apps.get_model("partners", "Ward")
    Ward.objects.filter(code__in=[code for code, _, _ in WARDS]).delete()


class Migration(migrations.Migration):
    dependencies = [("partners", "0001_initial")]

    operations = [migrations.RunPython(load_wards, unload_wards)]
