"""The session page's 受付名簿 download and the session list's 研修一覧 template (trainings/admin_blank_sheets.py)."""

import datetime
import io
from urllib.parse import quote

import pytest
from django.contrib.auth.models import Permission, User
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from core.fiscal import fiscal_year
from trainings.importing import blank_sheets

SIGN_IN_URL = "admin:trainings_trainingsession_sign_in_sheet"
TEMPLATE_URL = "admin:trainings_trainingsession_sessions_template"


@pytest.fixture
def viewer(db):
    """A user who may view sessions and nothing else (no import)."""
    user = User.objects.create_user("etsuran", password="pw-for-tests-only", is_staff=True)
    user.user_permissions.set(Permission.objects.filter(codename="view_trainingsession"))
    return user


@pytest.fixture
def session(make_session):
    return make_session(title="地域まちづくり/支援: 研修", date=datetime.date(2019, 5, 20), venue="南区役所")


def test_the_session_page_offers_the_sign_in_sheet(client, viewer, session):
    client.force_login(viewer)
    page = client.get(reverse("admin:trainings_trainingsession_change", args=[session.pk])).content.decode()
    assert f'href="{reverse(SIGN_IN_URL, args=[session.pk])}"' in page
    assert "受付名簿をダウンロード（Excel／CSV）" in page


def test_the_sign_in_page_says_what_the_file_holds(client, viewer, session):
    client.force_login(viewer)
    page = client.get(reverse(SIGN_IN_URL, args=[session.pk])).content.decode()
    blank = blank_sheets.sign_in_sheet(session)
    for text in [str(session), "2019年5月20日（月）", "南区役所", f"{len(blank.rows)}行", *blank.headers]:
        assert text in page
    assert "記入した名簿をこの研修に取り込む" not in page  # the viewer may not import


@pytest.mark.parametrize(("fmt", "content_type"), [("xlsx", blank_sheets.XLSX_TYPE), ("csv", blank_sheets.CSV_TYPE)])
def test_the_sign_in_sheet_downloads_with_a_japanese_file_name(client, viewer, session, fmt, content_type):
    client.force_login(viewer)
    response = client.get(reverse(SIGN_IN_URL, args=[session.pk]), {"format": fmt})
    assert response.status_code == 200 and response["Content-Type"] == content_type
    name = f"受付名簿_2019-05-20_地域まちづくり_支援_研修.{fmt}"
    assert response["Content-Disposition"] == f"attachment; filename*=utf-8''{quote(name)}"
    expected = blank_sheets.file_bytes(blank_sheets.sign_in_sheet(session), fmt)[0]
    assert _cells(response.content, fmt) == _cells(expected, fmt)  # an XLSX carries its time of writing


def _cells(data, fmt):
    if fmt == "csv":
        return data
    return [list(row) for row in load_workbook(io.BytesIO(data)).active.iter_rows(values_only=True)]


def test_the_session_list_offers_the_template_for_the_filtered_year(client, viewer, session):
    client.force_login(viewer)
    page = client.get(reverse("admin:trainings_trainingsession_changelist"), {"fiscal_year": "2019"}).content.decode()
    assert f'href="{reverse(TEMPLATE_URL)}?fiscal_year=2019"' in page and "研修一覧のひな形" in page
    assert 'class="export_link"' in page  # the export button stays


@pytest.mark.parametrize(
    ("query", "expected"),
    [({"fiscal_year": "2019"}, 2019), ({}, None), ({"fiscal_year": "x"}, None), ({"fiscal_year": "1800"}, None)],
)
def test_the_template_page_defaults_to_the_filtered_or_current_year(client, viewer, session, query, expected):
    client.force_login(viewer)
    year = expected or fiscal_year(timezone.localdate())
    page = client.get(reverse(TEMPLATE_URL), query).content.decode()
    assert f'<option value="{year}" selected>' in page
    assert '<option value="2019"' in page  # a year with sessions is offered


def test_the_sessions_template_downloads_for_the_chosen_year(client, viewer):
    client.force_login(viewer)
    response = client.get(reverse(TEMPLATE_URL), {"fiscal_year": "2018", "format": "xlsx"})
    assert response["Content-Disposition"] == f"attachment; filename*=utf-8''{quote('研修一覧_2018年度_ひな形.xlsx')}"
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet["A1"].value == "研修一覧　2018年度（平成30年度）"
    assert sheet.max_row == blank_sheets.sessions_sheet(2018).header_row  # no example rows to import by mistake


@pytest.mark.parametrize("view", ["sign_in", "template"])
def test_a_user_who_may_not_view_sessions_gets_403(client, session, view):
    user = User.objects.create_user("hoka", password="pw-for-tests-only", is_staff=True)
    user.user_permissions.set(Permission.objects.filter(codename="view_attendancesheet"))
    client.force_login(user)
    url = reverse(SIGN_IN_URL, args=[session.pk]) if view == "sign_in" else reverse(TEMPLATE_URL)
    assert client.get(url).status_code == 403
    assert client.get(url, {"format": "xlsx"}).status_code == 403


def test_an_unknown_session_is_404(client, viewer, session):
    client.force_login(viewer)
    assert client.get(reverse(SIGN_IN_URL, args=[session.pk + 1000])).status_code == 404


def test_an_importer_is_offered_the_import_with_the_session_chosen(client, clerk, session):
    client.force_login(clerk)
    page = client.get(reverse(SIGN_IN_URL, args=[session.pk])).content.decode()
    url = reverse("admin:trainings_attendancesheet_import")
    assert f'href="{url}?kind=participants&amp;session={session.pk}"' in page
