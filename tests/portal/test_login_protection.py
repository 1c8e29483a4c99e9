"""The login page warns before the lock-out, the lock-out page gives minutes, axes' lists are in Japanese."""

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.urls import reverse

from portal.login_protection import remaining_attempts_warning


def login(client, username, password):
    return client.post(reverse("admin:login"), {"username": username, "password": password, "next": "/admin/"})


@pytest.mark.django_db
def test_the_login_page_counts_down_from_the_third_failure_and_the_lock_out_gives_minutes(client, django_user_model):
    assert settings.AXES_FAILURE_LIMIT == 5 and settings.AXES_COOLOFF_TIME == 0.5
    django_user_model.objects.create_user("staff1", password="Correct-Horse-42", is_staff=True)
    pages = [login(client, "staff1", "wrong-password") for _ in range(settings.AXES_FAILURE_LIMIT)]
    texts = [page.content.decode() for page in pages]
    assert [page.status_code for page in pages] == [200, 200, 200, 200, 429]
    assert all("あと" not in text for text in texts[:2])
    assert "ログインに3回続けて失敗しています。あと2回失敗すると" in texts[2]
    assert "30分間停止します" in texts[2]
    assert "あと1回失敗すると" in texts[3]
    assert "正しいユーザー名とパスワードを入力してください" in texts[3]  # Django's own message stays
    assert "ログインを30分間停止しています" in texts[4]
    assert "PT30M" not in texts[4] and "ログインに5回続けて失敗したため" in texts[4]


@pytest.mark.parametrize(
    ("failures", "expected"),
    [(0, ""), (2, ""), (3, "あと2回"), (4, "あと1回"), (5, ""), (9, "")],
)
def test_the_warning_names_the_attempts_left_only_between_the_third_failure_and_the_limit(failures, expected):
    warning = remaining_attempts_warning(failures, 5)
    assert (expected in warning) if expected else warning == ""


@pytest.mark.django_db
def test_axes_lists_and_models_are_named_in_japanese(admin_client):
    AccessAttempt.objects.create(
        username="staff1", ip_address="127.0.0.1", user_agent="x", http_accept="*/*", path_info="/admin/login/",
        get_data="", post_data="", failures_since_start=3,
    )  # fmt: skip
    index = admin_client.get("/admin/").content.decode()
    assert "ログイン試行の記録" in index and "ログイン失敗の集計" in index
    assert "Access attempts" not in index and ">Axes<" not in index
    listing = admin_client.get("/admin/axes/accessattempt/").content.decode()
    for word in ["失敗回数", "IPアドレス", "状態", "あと2回", "期限切れの記録を削除"]:
        assert word in listing, word
    for word in ["Attempt Time", "Failed Logins", "Status", "Attempt Remaining", "Clean up"]:
        assert word not in listing, word
