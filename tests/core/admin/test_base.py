import re

import pytest

from trainings.models import Attendance


@pytest.fixture
def session_with_rows(make_session, ward):
    session = make_session(headcount=None)
    for number, name in enumerate(["横浜 花子", "港 太郎"], start=1):
        Attendance.objects.create(session=session, row_number=number, name=name, ward=ward)
    return session


@pytest.mark.django_db
def test_every_control_of_an_inline_row_is_named_with_its_column_and_row(admin_client, session_with_rows):
    html = admin_client.get(f"/admin/trainings/trainingsession/{session_with_rows.pk}/change/").content.decode()

    for row in ("1行目", "2行目"):
        for label in ("名簿の行番号", "氏名", "ふりがな", "所属（記載どおり）", "役職", "備考"):
            assert f'aria-label="{label}（{row}）"' in html, (label, row)
        assert re.search(rf'<select [^>]*aria-label="区（{row}）"', html)  # an autocomplete's hidden <select>
        assert f'aria-label="{row}を削除"' in html
    assert 'aria-label="氏名（新しい行）"' in html  # the template row 「追加」 copies


@pytest.mark.django_db
def test_admin_pages_load_the_accessibility_styles_and_the_select2_names(admin_client, session_with_rows):
    for url in (
        f"/admin/trainings/trainingsession/{session_with_rows.pk}/change/",
        "/admin/trainings/trainingsession/",
        "/admin/trainings/attendancesheet/import/",
    ):
        html = admin_client.get(url).content.decode()
        assert 'href="/static/css/admin_a11y.css"' in html, url
    change = admin_client.get("/admin/outreach/approachcase/add/").content.decode()
    assert 'src="/static/js/select2_names.js"' in change
