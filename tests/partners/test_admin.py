import pytest
from django.urls import reverse

from partners.admin import organization_ids_matching
from partners.models import Organization

ORGANIZATION_LIST = "admin:partners_organization_changelist"


@pytest.fixture
def organizations(ward):
    return {
        name: Organization.objects.create(name=name, kind="other", ward=ward, address=address).pk
        for name, address in [
            ("髙島町自治会", "西区髙島"),
            ("中村地域ケアプラザ", "南区中村町"),
            ("ＮＰＯ法人まちの輪", ""),
            ("濵田商店会", ""),
        ]
    }


@pytest.mark.parametrize(
    ("q", "found"),
    [
        ("高島", ["髙島町自治会"]),
        ("ｹｱﾌﾟﾗｻﾞ", ["中村地域ケアプラザ"]),
        ("けあぷらざ", ["中村地域ケアプラザ"]),
        ("npo", ["ＮＰＯ法人まちの輪"]),
        ("浜田", ["濵田商店会"]),
        ("中村町", ["中村地域ケアプラザ"]),  # the address
        ("高島 町", ["髙島町自治会"]),  # spaces are ignored
        ("港北", []),
    ],
)
def test_the_organisation_search_folds_variants_widths_and_kana(admin_client, organizations, q, found):
    response = admin_client.get(reverse(ORGANIZATION_LIST), {"q": q})
    assert response.status_code == 200
    assert sorted(o.name for o in response.context["cl"].result_list) == found


def test_the_attendance_organisation_branch_matches_names_only(organizations):
    assert organization_ids_matching("中村町") == []
    assert organization_ids_matching("高島") == [organizations["髙島町自治会"]]
    assert organization_ids_matching("  ") == []


def test_the_organisation_picker_folds_too(admin_client, organizations):
    response = admin_client.get(
        "/admin/autocomplete/",
        {"term": "高島", "app_label": "trainings", "model_name": "attendance", "field_name": "organization"},
    )
    assert [item["text"] for item in response.json()["results"]] == ["髙島町自治会"]
