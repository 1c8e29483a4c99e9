import json

from django.core.management import call_command

from trainings.models import Attendance, TrainingSession


def test_loading_a_fixture_sets_the_derived_columns_by_their_owners(db, organization, tmp_path):
    # A hand-edited (or stale) dump: wrong year, wrong person key. loaddata saves raw, without save().
    fixture = tmp_path / "stale.json"
    session = {"title": "読み込み研修", "date": "2019-03-31", "audience": "other", "fiscal_year": 2030}
    row = {"session": 900, "name": "髙橋 一郎", "organization": organization.pk, "person_key": "stale"}
    fixture.write_text(
        json.dumps(
            [
                {"model": "trainings.trainingsession", "pk": 900, "fields": session},
                {"model": "trainings.attendance", "pk": 901, "fields": row},
            ]
        ),
        encoding="utf-8",
    )
    call_command("loaddata", str(fixture), verbosity=0)
    assert TrainingSession.objects.get(pk=900).fiscal_year == 2018
    attendance = Attendance.objects.get(pk=901)
    assert attendance.person_key == "髙橋一郎|テスト地域ケアプラザ"
    assert attendance.fiscal_year == 2018  # the trigger's copy of the session's year
