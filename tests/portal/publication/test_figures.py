"""A year's public figures (portal/publication/figures.py) count a partial roster's session by its headcount."""

from portal.publication.figures import live_figures
from portal.services import publication_state
from trainings.importing.paste import paste_attendance
from trainings.models import TrainingSession

ROSTER = "No.\t氏名\r\n1\t髙橋 一郎\r\n2\t山田 花子\r\n"


def test_a_partial_roster_leaves_the_published_figures_as_they_are(demo_data):
    session = TrainingSession.objects.get(title="地域まちづくり支援制度活用研修（第1回）")
    before = live_figures(fiscal_year=session.fiscal_year)
    assert not publication_state(fiscal_year=session.fiscal_year).differs

    assert paste_attendance(ROSTER, session, save=True).sheet_record is not None

    session.refresh_from_db()
    assert session.roster_is_partial and session.attendance_count == 2
    after = live_figures(fiscal_year=session.fiscal_year)
    assert after["summary"] == before["summary"]
    assert not publication_state(fiscal_year=session.fiscal_year).differs


def test_the_chosen_roster_count_changes_the_figures_to_publish(demo_data):
    session = TrainingSession.objects.get(title="地域まちづくり支援制度活用研修（第1回）")
    before = live_figures(fiscal_year=session.fiscal_year)["summary"]["participants"]

    assert paste_attendance(ROSTER, session, save=True, use_roster_count=True).sheet_record is not None

    session.refresh_from_db()
    after = live_figures(fiscal_year=session.fiscal_year)["summary"]["participants"]
    assert after == before - session.headcount + session.attendance_count
    assert publication_state(fiscal_year=session.fiscal_year).differs
