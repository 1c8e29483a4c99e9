import pytest

from tests.trainings.importing.both_paths import via_admin, via_command
from trainings.models import Attendance, TrainingSession

ROSTER = "No.,氏名\r\n1,髙橋 一郎\r\n2,山田 ①子\r\n".encode("cp932")


def run(path, client, clerk, session, *, use_roster_count=False):
    if path == "admin":
        client.force_login(clerk)
        extra = {"use_roster_count": "on"} if use_roster_count else None
        return via_admin(client, "名簿.csv", ROSTER, kind="participants", session=session, extra=extra)
    args = ["--kind", "participants", "--session", str(session.pk)]
    return via_command("名簿.csv", ROSTER, *args, *(["--use-roster-count"] if use_roster_count else []))


@pytest.mark.parametrize("path", ["admin", "command"])
def test_a_partial_roster_never_lowers_a_typed_headcount_silently(client, clerk, import_records, path):
    seminar = import_records["seminar"]
    TrainingSession.objects.filter(pk=seminar.pk).update(headcount=15)
    total = TrainingSession.objects.for_fiscal_year(2019).participant_totals()["participants"]
    outcome = run(path, client, clerk, seminar)
    assert not outcome.imported
    assert "2019-05-20 地域まちづくり支援制度活用研修: 参加者数 15人 → 2人" in outcome.text
    assert f"2019年度の参加者数の合計: {total:,}人 → {total - 13:,}人（-13人）" in outcome.text
    assert "名簿は2人ですが、入力済みの参加者数は15人です。" in outcome.text
    assert not Attendance.objects.exists()
    assert TrainingSession.objects.filter(pk=seminar.pk).with_participant_counts().get().participant_count == 15


@pytest.mark.parametrize("path", ["admin", "command"])
def test_the_roster_count_is_used_when_chosen(client, clerk, import_records, path):
    seminar = import_records["seminar"]
    TrainingSession.objects.filter(pk=seminar.pk).update(headcount=15)
    outcome = run(path, client, clerk, seminar, use_roster_count=True)
    assert outcome.imported, outcome.text
    assert "参加者数 15人 → 2人" in outcome.text
    assert TrainingSession.objects.filter(pk=seminar.pk).with_participant_counts().get().participant_count == 2
