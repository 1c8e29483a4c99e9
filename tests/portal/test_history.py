"""Audit history (django-simple-history): who changed what and when, shown in the admin."""

import pytest
from django.contrib.auth.models import Group, User
from django.utils import timezone

from outreach.models import ApproachCase, CaseEvent
from partners.models import Organization
from portal.roles import DATA_ENTRY, MANAGER
from trainings.models import Attendance, TrainingSession


def staff(name, role):
    user = User.objects.create_user(name, is_staff=True)
    user.groups.add(Group.objects.get(name=role))
    return user


def session_form(session, **changes):
    """Return the admin change-form data of a session without attendance rows, with `changes`."""
    data = {
        "title": session.title,
        "date": session.date.isoformat(),
        "audience": session.audience,
        "headcount": session.headcount or "",
        "attendances-TOTAL_FORMS": "0",
        "attendances-INITIAL_FORMS": "0",
        "attendances-MIN_NUM_FORMS": "0",
        "attendances-MAX_NUM_FORMS": "1000",
    }
    return {**data, **changes}


def test_changing_a_session_in_the_admin_records_who_when_and_what(client, make_session):
    session = make_session(title="まちづくり研修", headcount=20)
    clerk = staff("suzuki", DATA_ENTRY)
    client.force_login(clerk)

    response = client.post(
        f"/admin/trainings/trainingsession/{session.pk}/change/", session_form(session, headcount="25")
    )

    assert response.status_code == 302
    latest = session.history.latest()
    assert (latest.history_type, latest.history_user, latest.headcount) == ("~", clerk, 25)
    # Both in the portal's time zone (Tokyo): the stored time is UTC, whose date differs from 15:00 UTC on.
    assert timezone.localdate(latest.history_date) == timezone.localdate()
    [change] = latest.diff_against(latest.prev_record).changes
    assert (change.field, change.old, change.new) == ("headcount", 20, 25)


def test_the_history_page_shows_the_change_in_japanese(client, make_session):
    session = make_session(title="まちづくり研修", headcount=20)
    client.force_login(staff("suzuki", DATA_ENTRY))
    client.post(f"/admin/trainings/trainingsession/{session.pk}/change/", session_form(session, headcount="25"))

    # A manager may read the history (view permission) but not change the session.
    client.force_login(staff("kanri", MANAGER))
    response = client.get(f"/admin/trainings/trainingsession/{session.pk}/history/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "変更履歴: " in html and "変更者" in html and "変更内容" in html
    assert "suzuki" in html
    assert "参加者数（集計値）" in html  # the field's Japanese name, 20 → 25
    assert "20" in html and "25" in html
    assert "作成" in html and "変更" in html
    assert "Changed by" not in html and "Revert" not in html


@pytest.mark.parametrize(
    ("make", "change"),
    [
        (lambda s, ward: Attendance.objects.create(session=s, name="山田太郎"), {"role": "係長"}),
        (lambda s, ward: Organization.objects.get(name="テスト地域ケアプラザ"), {"phone": "045-000-0000"}),
        (
            lambda s, ward: ApproachCase.objects.create(slug="x", title="事例X", ward=ward, summary="概要"),
            {"status": "adopted"},
        ),
        (
            lambda s, ward: CaseEvent.objects.create(
                case=ApproachCase.objects.create(slug="y", title="Y", ward=ward, summary="s"),
                fiscal_year=2018,
                text="ヒアリング",
            ),
            {"text": "ヒアリング（第2回）"},
        ),
    ],
    ids=["attendance", "organisation", "case", "case-event"],
)
def test_every_tracked_record_keeps_its_versions(make_session, organization, ward, make, change):
    record = make(make_session(), ward)
    for field, value in change.items():
        setattr(record, field, value)
    record.save()
    pk = record.pk
    record.delete()
    versions = list(type(record).history.filter(id=pk).order_by("history_date", "history_id"))
    assert [v.history_type for v in versions][-2:] == ["~", "-"]
    assert all(getattr(versions[-1], field) == value for field, value in change.items())


def test_case_history_keeps_its_partner_organisations(organization, ward):
    case = ApproachCase.objects.create(slug="z", title="事例Z", ward=ward, summary="概要")
    case.partner_organizations.add(organization)
    latest = case.history.latest()
    assert [row.organization for row in latest.partner_organizations.all()] == [organization]


def test_demo_records_start_with_a_first_version(demo_data):
    # loaddata writes no history; load_demo_data adds a first version so that a change shows its diff.
    assert TrainingSession.history.filter(history_type="+").count() == TrainingSession.objects.count() == 48
    assert ApproachCase.objects.exists()
    assert not ApproachCase.objects.exclude(pk__in=ApproachCase.history.values("id")).exists()
