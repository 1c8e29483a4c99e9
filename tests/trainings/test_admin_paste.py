"""The session page's 「Excelから貼り付け」 (trainings/admin_paste.py): permission, preview, save, refusals."""

import pytest
from django.contrib.auth.models import Permission, User
from django.urls import reverse

from tests.trainings.importing.test_paste import HEADER, ROWS, excel_clipboard
from trainings.models import Attendance, AttendanceSheet


@pytest.fixture
def seminar(import_records):
    return import_records["seminar"]


def paste_url(session):
    return reverse("admin:trainings_trainingsession_paste", args=[session.pk])


def state():
    return (sorted(Attendance.objects.values_list("session_id", "name")), AttendanceSheet.objects.count())


def test_the_session_page_links_to_the_paste_for_those_who_may_import(client, clerk, seminar):
    clerk.user_permissions.add(Permission.objects.get(codename="change_trainingsession"))
    client.force_login(clerk)
    page = client.get(reverse("admin:trainings_trainingsession_change", args=[seminar.pk])).content.decode()
    assert f'href="{paste_url(seminar)}"' in page and "Excelから貼り付け" in page


def test_without_the_import_permission_the_paste_is_refused(client, seminar):
    viewer = User.objects.create_user("etsuran", password="x", is_staff=True)
    viewer.user_permissions.set(Permission.objects.filter(codename="view_trainingsession"))
    client.force_login(viewer)
    page = client.get(reverse("admin:trainings_trainingsession_change", args=[seminar.pk])).content.decode()
    assert "Excelから貼り付け" not in page
    assert client.get(paste_url(seminar)).status_code == 403
    before = state()
    assert client.post(paste_url(seminar), {"text": excel_clipboard(ROWS), "_save": "1"}).status_code == 403
    assert state() == before


def test_the_page_shows_the_column_order_and_a_labelled_box(client, clerk, seminar):
    client.force_login(clerk)
    response = client.get(paste_url(seminar))
    assert response.status_code == 200
    html = response.content.decode()
    assert "見出し行なしで貼り付けるときの列の順番" in html
    for letter, label in zip("ABCDEFG", HEADER, strict=True):
        assert f'<span class="letter">{letter}</span> {label}' in html
    assert '<label for="id_text">' in html and '<textarea name="text" id="id_text"' in html


def test_preview_writes_nothing_then_save_writes_every_row(client, clerk, seminar):
    client.force_login(clerk)
    text = excel_clipboard([HEADER, *ROWS])
    before = state()
    preview = client.post(paste_url(seminar), {"text": text, "_preview": "1"})
    assert preview.status_code == 200 and state() == before
    html = preview.content.decode()
    assert "エラーはありません" in html and 'name="_save"' in html
    digest = preview.context["form"].initial["previewed"]
    # The browser sends the textarea back with CRLF line ends: still the previewed text.
    done = client.post(paste_url(seminar), {"text": text.replace("\r\n", "\n"), "previewed": digest, "_save": "1"})
    assert done.status_code == 302 and done["Location"] == reverse(
        "admin:trainings_trainingsession_change", args=[seminar.pk]
    )
    seminar.refresh_from_db()
    assert seminar.attendance_count == 3
    message = str(list(done.wsgi_request._messages)[0])
    assert "貼り付けた3行を「Excelから貼り付け（" in message and "参加者数は3人" in message
    assert AttendanceSheet.objects.get().row_count == 3


def test_save_of_text_changed_after_the_preview_only_previews_again(client, clerk, seminar):
    client.force_login(clerk)
    text = excel_clipboard(ROWS)
    digest = client.post(paste_url(seminar), {"text": text, "_preview": "1"}).context["form"].initial["previewed"]
    before = state()
    response = client.post(paste_url(seminar), {"text": excel_clipboard(ROWS[:1]), "previewed": digest, "_save": "1"})
    assert response.status_code == 200 and state() == before
    assert "貼り付けた内容が確認のあとで変わりました" in response.content.decode()


def test_errors_are_listed_by_row_and_column_letter_and_nothing_is_saved(client, clerk, seminar):
    client.force_login(clerk)
    rows = [*ROWS, ["4", "", "", "", "どこか", "", ""]]
    text = excel_clipboard(rows)
    before = state()
    response = client.post(paste_url(seminar), {"text": text, "_preview": "1"})
    html = response.content.decode()
    assert "1行にエラーがあります" in html
    assert '<td class="nowrap">4行目</td><td class="nowrap">B列（氏名）</td>' in html
    assert "E列（区）" in html
    assert 'name="_save"' not in html
    digest = response.context["form"].initial["previewed"]
    response = client.post(paste_url(seminar), {"text": text, "previewed": digest, "_save": "1"})
    assert response.status_code == 200 and state() == before


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "貼り付けた内容が空です"),
        ("\r\n \r\n", "貼り付けた内容が空です"),
        ("1\t横浜\t\t\t\t\t\t\t余分\r\n", "見出し行がなく、列が9列あります"),
    ],
)
def test_a_bad_or_empty_paste_gets_a_clear_message(client, clerk, seminar, text, message):
    client.force_login(clerk)
    before = state()
    response = client.post(paste_url(seminar), {"text": text, "_save": "1"})
    assert response.status_code == 200
    assert message in response.content.decode()
    assert state() == before


def test_an_unknown_session_is_404(client, clerk, db):
    client.force_login(clerk)
    assert client.get(reverse("admin:trainings_trainingsession_paste", args=[999999])).status_code in (302, 404)


def test_a_partial_paste_shows_the_kept_headcount_and_saves_the_people(client, clerk, seminar):
    seminar.headcount = 40
    seminar.save()
    client.force_login(clerk)
    text = excel_clipboard([HEADER, *ROWS])
    preview = client.post(paste_url(seminar), {"text": text, "_preview": "1"})
    html = preview.content.decode()
    change = preview.context["preview"].plan.count_changes[0]
    assert "参加者数の変化" in html and change.text in html
    assert f"参加者数 40人 → 40人（名簿は{len(ROWS)}人。" in change.text
    assert 'name="_save"' in html
    digest = preview.context["form"].initial["previewed"]
    done = client.post(paste_url(seminar), {"text": text, "previewed": digest, "_save": "1"})
    assert done.status_code == 302
    seminar.refresh_from_db()
    assert seminar.attendance_count == len(ROWS) and seminar.roster_is_partial
    assert "参加者数は40人" in str(list(done.wsgi_request._messages)[0])
