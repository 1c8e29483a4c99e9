import datetime
import logging
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from portal.selectors import yearly_summary
from trainings.models import Attendance


@pytest.fixture
def two_years(make_session, organization):
    old = make_session(date=datetime.date(2017, 6, 1))
    new = make_session(date=datetime.date(2018, 6, 1))
    for session in (old, new):
        Attendance.objects.create(session=session, name="山田 太郎", organization=organization, note="連絡先メモ")
        Attendance.objects.create(session=session, name="佐藤花子", name_kana="さとうはなこ")
        Attendance.objects.create(session=session, name="山田　太郎", organization_text=organization.name)
    return old, new


def snapshot(fy):
    rows = Attendance.objects.filter(session__fiscal_year=fy)
    summary = yearly_summary(fiscal_year=fy)
    return rows.count(), rows.unique_participant_count(), summary.participants


@pytest.mark.django_db
def test_purge_blanks_names_of_older_years_and_keeps_counts(two_years, caplog):
    before_2017, before_2018 = snapshot(2017), snapshot(2018)

    with caplog.at_level(logging.INFO, logger="portal.audit"):
        call_command("purge_personal_data", "--before-fy", "2018", stdout=StringIO())

    old_rows = Attendance.objects.filter(session__fiscal_year=2017)
    assert set(old_rows.values_list("name", "name_kana", "note", "search_key")) == {("", "", "", "")}
    assert Attendance.objects.filter(session__fiscal_year=2018, search_key="山田太郎").count() == 2
    assert Attendance.objects.filter(session__fiscal_year=2018).exclude(name="").count() == 3
    assert snapshot(2017) == before_2017 == (3, 2, 3)
    assert snapshot(2018) == before_2018
    assert "3 attendance rows of 1 sessions before FY2018" in caplog.text
    assert "山田" not in caplog.text and "佐藤" not in caplog.text


@pytest.mark.django_db
def test_purge_dry_run_changes_nothing(two_years):
    out = StringIO()
    call_command("purge_personal_data", "--before-fy", "2018", "--dry-run", stdout=out)
    assert "3 行" in out.getvalue() and "変更していません" in out.getvalue()
    assert Attendance.objects.filter(name="佐藤花子").count() == 2


@pytest.mark.django_db
def test_purge_twice_keeps_unique_counts(two_years):
    call_command("purge_personal_data", "--before-fy", "2018", stdout=StringIO())
    call_command("purge_personal_data", "--before-fy", "2018", stdout=StringIO())
    assert snapshot(2017)[1] == 2


@pytest.mark.django_db
def test_purge_refuses_a_nonsense_year():
    with pytest.raises(CommandError, match="1989〜2100"):
        call_command("purge_personal_data", "--before-fy", "18")


@pytest.mark.django_db
def test_purge_leaves_no_name_in_the_audit_history(make_session):
    old = make_session(date=datetime.date(2016, 6, 1))
    gone = make_session(date=datetime.date(2016, 7, 1), title="削除した研修")
    new = make_session(date=datetime.date(2019, 6, 1))
    for session in (old, gone, new):
        row = Attendance.objects.create(session=session, name="山田太郎", name_kana="やまだたろう", note="携帯")
        row.name = "山田 太郎"
        row.save()
    gone.delete()  # its rows' deletion is in the history too

    call_command("purge_personal_data", "--before-fy", "2018", stdout=StringIO())

    history = Attendance.history.all()
    assert not history.filter(session_id__in=[old.pk, gone.pk]).exclude(name="", name_kana="", note="").exists()
    assert not history.filter(person_key__contains="山田").filter(session_id__in=[old.pk, gone.pk]).exists()
    assert history.filter(session_id=new.pk, name="山田 太郎").count() == 1
    assert history.filter(session_id=new.pk, name="山田太郎").count() == 1
