"""Load Yokohama's 18 wards with their official local-government codes (総務省 全国地方公共団体コード)."""

from django.db import migrations

WARDS = [
    ("14101", "鶴見区", "つるみく"),
    ("14102", "神奈川区", "かながわく"),
    ("14103", "西区", "にしく"),
    ("14104", "中区", "なかく"),
    ("14105", "南区", "みなみく"),
    ("14106", "保土ケ谷区", "ほどがやく"),
    ("14107", "磯子区", "いそごく"),
    ("14108", "金沢区", "かなざわく"),
    ("14109", "港北区", "こうほくく"),
    ("14110", "戸塚区", "とつかく"),
    ("14111", "港南区", "こうなんく"),
    ("14112", "旭区", "あさひく"),
    ("14113", "緑区", "みどりく"),
    ("14114", "瀬谷区", "せやく"),
    ("14115", "栄区", "さかえく"),
    ("14116", "泉区", "いずみく"),
    ("14117", "青葉区", "あおばく"),
    ("14118", "都筑区", "つづきく"),
]


def load_wards(apps, schema_editor):
    Ward = apps.get_model("partners", "Ward")
    for code, name, kana in WARDS:
        Ward.objects.update_or_create(code=code, defaults={"name": name, "name_kana": kana})


def unload_wards(apps, schema_editor):
    Ward = apps.get_model("partners", "Ward")
    Ward.objects.filter(code__in=[code for code, _, _ in WARDS]).delete()


class Migration(migrations.Migration):
    dependencies = [("partners", "0001_initial")]

    operations = [migrations.RunPython(load_wards, unload_wards)]
