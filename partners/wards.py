"""Yokohama's 18 wards with their official local-government codes (総務省 全国地方公共団体コード)."""

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


def ensure_wards(ward_model=None):
    """Create or update the 18 wards; return how many were created."""
    if ward_model is None:
        from partners.models import Ward as ward_model
    created = 0
    for code, name, kana in WARDS:
        _, was_created = ward_model.objects.update_or_create(code=code, defaults={"name": name, "name_kana": kana})
        created += was_created
    return created
