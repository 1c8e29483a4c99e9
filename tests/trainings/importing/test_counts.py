"""A roster never silently changes a figure (trainings/importing/counts.py and the write in services.py).

A roster shorter than a typed headcount is imported (its people count in 実人数), the typed
headcount stays the session's participant count and the session is marked partial, unless the
user chooses the roster's count; the admin upload and the command say the same, and the year
total the preview announces is the one stored afterwards.
"""

import pytest

from tests.trainings.importing.both_paths import via_admin, via_command
from trainings.importing.counts import CountChange
from trainings.importing.services import undo_import
from trainings.models import Attendance, AttendanceSheet, TrainingSession

NAMES = ["髙橋 一郎", "山田 ①子"]
ROSTER = ("No.,氏名\r\n" + "".join(f"{n},{name}\r\n" for n, name in enumerate(NAMES, 1))).encode("cp932")


def run(path, client, clerk, session, *, use_roster_count=False, data=ROSTER, name="名簿.csv"):
    if path == "admin":
        client.force_login(clerk)
        extra = {"use_roster_count": "on"} if use_roster_count else None
        return via_admin(client, name, data, kind="participants", session=session, extra=extra)
    args = ["--kind", "participants", "--session", str(session.pk)]
    return via_command(name, data, *args, *(["--use-roster-count"] if use_roster_count else []))


def participants(session):
    return TrainingSession.objects.filter(pk=session.pk).with_participant_counts().get().participant_count


def year_total(year=2019):
    return TrainingSession.objects.for_fiscal_year(year).participant_totals()["participants"]


def year_line(before, after):
    return f"2019年度の参加者数の合計: {before:,}人 → {after:,}人（{after - before:+,}人）"


@pytest.fixture
def seminar(import_records):
    session = import_records["seminar"]
    session.headcount = 15
    session.save()
    return session


@pytest.mark.parametrize("path", ["admin", "command"])
def test_a_partial_roster_is_imported_and_the_typed_headcount_stays(client, clerk, seminar, path):
    total = year_total()
    outcome = run(path, client, clerk, seminar)
    assert outcome.imported, outcome.text
    session = TrainingSession.objects.get(pk=seminar.pk)
    assert sorted(session.attendances.values_list("name", flat=True)) == sorted(NAMES)
    assert session.roster_is_partial and session.attendance_count == len(NAMES)
    assert participants(seminar) == session.headcount
    kept = CountChange(session, session.headcount, session.headcount, len(NAMES), session.headcount, kept=True)
    assert kept.text in outcome.text
    assert (
        f"参加者数 15人 → 15人（名簿は{len(NAMES)}人。入力済みの参加者数15人をそのまま使い、"
        "名簿の人は実人数などに数えます。名簿の人数を参加者数にするには"
        "「名簿の人数を参加者数にする」（コマンドでは --use-roster-count）を選んで取り込むか、"
        "取込後に研修の「名簿は一部」をオフにします）"
    ) in outcome.text
    assert year_total() == total
    assert year_line(total, year_total()) in outcome.text


@pytest.mark.parametrize("path", ["admin", "command"])
def test_the_roster_count_is_used_when_chosen(client, clerk, seminar, path):
    total = year_total()
    outcome = run(path, client, clerk, seminar, use_roster_count=True)
    assert outcome.imported, outcome.text
    session = TrainingSession.objects.get(pk=seminar.pk)
    assert not session.roster_is_partial
    assert participants(seminar) == len(NAMES)
    assert f"参加者数 15人 → {len(NAMES)}人（名簿の人数を使います。入力済みの参加者数15人は使いません）" in outcome.text
    assert year_total() == total - 15 + len(NAMES)
    assert year_line(total, year_total()) in outcome.text


def test_both_paths_say_the_same_about_a_partial_roster(client, clerk, seminar):
    previews = []
    for path in ["admin", "command"]:
        outcome = run(path, client, clerk, seminar, name=f"{path}.csv")
        previews.append(outcome.text)
        AttendanceSheet.objects.get(file_name=f"{path}.csv")  # imported
        undo_import(AttendanceSheet.objects.get(file_name=f"{path}.csv"))
    session = TrainingSession.objects.get(pk=seminar.pk)
    line = CountChange(session, 15, 15, len(NAMES), 15, kept=True).text
    assert all(line in text for text in previews)


@pytest.mark.parametrize("headcount", [1, 2, None])
def test_a_roster_as_long_as_the_headcount_or_longer_gives_the_participant_count(client, clerk, seminar, headcount):
    seminar.headcount = headcount
    seminar.save()
    outcome = run("command", client, clerk, seminar)
    assert outcome.imported, outcome.text
    assert not TrainingSession.objects.get(pk=seminar.pk).roster_is_partial
    assert participants(seminar) == len(NAMES)
    before = "不明" if headcount is None else f"{headcount}人"
    assert f"参加者数 {before} → {len(NAMES)}人" in outcome.text
    assert "（名簿" not in outcome.text


def test_a_full_roster_after_a_partial_one_clears_the_mark(client, clerk, seminar):
    run("command", client, clerk, seminar)
    assert TrainingSession.objects.get(pk=seminar.pk).roster_is_partial
    full = ("No.,氏名\r\n" + "".join(f"{n},参加 {n}郎\r\n" for n in range(1, 16))).encode("cp932")
    outcome = run("command", client, clerk, seminar, data=full, name="全員.csv")
    assert outcome.imported, outcome.text
    assert "参加者数 15人 → 15人" in outcome.text and "（名簿" not in outcome.text
    session = TrainingSession.objects.get(pk=seminar.pk)
    assert not session.roster_is_partial and session.attendance_count == 15
    assert participants(seminar) == 15


def test_undoing_a_partial_roster_leaves_the_headcount_and_no_mark(client, clerk, seminar):
    total = year_total()
    run("admin", client, clerk, seminar)
    undo_import(AttendanceSheet.objects.get(), user=clerk)
    session = TrainingSession.objects.get(pk=seminar.pk)
    assert not session.roster_is_partial and session.attendance_count == 0
    assert participants(seminar) == 15 and year_total() == total
    # The mark's changes are in the session's audit history, with who made them.
    marks = list(session.history.order_by("history_id").values_list("roster_is_partial", "history_user__username"))
    assert marks[-2:] == [(True, clerk.username), (False, clerk.username)]


def test_undoing_a_chosen_roster_count_brings_back_the_headcount(client, clerk, seminar):
    Attendance.objects.create(session=seminar, name="手入力 一郎")  # typed in: stays after the undo
    run("command", client, clerk, seminar, use_roster_count=True)
    assert participants(seminar) == len(NAMES) + 1
    undo_import(AttendanceSheet.objects.get())
    session = TrainingSession.objects.get(pk=seminar.pk)
    # One typed-in row is fewer than the typed headcount: the headcount counts again.
    assert session.attendance_count == 1 and session.roster_is_partial
    assert participants(seminar) == 15


def test_a_roster_for_several_sessions_marks_only_the_partial_ones(client, clerk, import_records, seminar):
    other = import_records["outreach"]
    other.headcount = 1
    other.save()
    rows = [("2019/5/20", seminar.title, name) for name in NAMES] + [("2019/6/10", other.title, "港 太郎")]
    data = ("開催日,研修名,氏名\r\n" + "".join(",".join(row) + "\r\n" for row in rows)).encode("cp932")
    total = year_total()
    outcome = via_command("複数.csv", data, "--kind", "participants")
    assert outcome.imported, outcome.text
    marks = dict(TrainingSession.objects.values_list("pk", "roster_is_partial"))
    assert marks == {seminar.pk: True, other.pk: False}
    assert participants(seminar) == 15 and participants(other) == 1
    assert year_line(total, year_total()) in outcome.text
    undo_import(AttendanceSheet.objects.get(), user=clerk)
    assert not TrainingSession.objects.filter(roster_is_partial=True).exists()
    assert year_total() == total
