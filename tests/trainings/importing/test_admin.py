import csv
import io

import pytest
from django.contrib.auth.models import Permission, User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tests.trainings.conftest import data_file
from trainings.importing import admin as import_admin
from trainings.models import Attendance, AttendanceSheet, PendingUpload, PendingUploadChunk, TrainingSession

IMPORT_URL = "admin:trainings_attendancesheet_import"
PROCESS_URL = "admin:trainings_attendancesheet_process_import"
ERRORS_URL = "admin:trainings_attendancesheet_import_errors"


def upload(client, name, kind="auto", session=None):
    data = {"kind": kind, "import_file": SimpleUploadedFile(name, data_file(name))}
    if session is not None:
        data["session"] = session.pk
    return client.post(reverse(IMPORT_URL), data)


def confirm_data(response):
    return {k: ("" if v is None else v) for k, v in response.context["confirm_form"].initial.items()}


def snapshot():
    return (
        sorted(Attendance.objects.values_list("session_id", "name", "sheet_id")),
        sorted(TrainingSession.objects.values_list("date", "title", "headcount")),
        AttendanceSheet.objects.count(),
    )


@pytest.mark.parametrize(
    ("name", "kind", "needs_session", "new"),
    [
        ("participants_cp932.csv", "participants", True, 5),
        ("participants_utf8_bom.csv", "auto", True, 5),
        ("participants.xlsx", "participants", True, 5),
        ("participants_multi_cp932.csv", "auto", False, 5),
        ("participants_multi_utf8_bom.csv", "participants_multi", False, 5),
        ("participants_multi.xlsx", "auto", False, 5),
        ("sessions_cp932.csv", "auto", False, 3),
        ("sessions_utf8_bom.csv", "sessions", False, 3),
        ("sessions.xlsx", "auto", False, 3),
    ],
)
def test_each_kind_and_format_previews_then_imports(client, clerk, import_records, name, kind, needs_session, new):
    client.force_login(clerk)
    before = snapshot()
    preview = upload(client, name, kind, import_records["seminar"] if needs_session else None)
    assert preview.status_code == 200
    assert preview.context["can_confirm"], preview.context["plan"].base_errors + preview.context["plan"].errors
    assert preview.context["plan"].new_count == new
    assert "取り込む" in preview.content.decode()
    assert snapshot() == before  # the preview writes nothing
    done = client.post(reverse(PROCESS_URL), {**confirm_data(preview), "_confirm": "1"})
    assert done.status_code == 302
    sheet = AttendanceSheet.objects.get()
    assert sheet.uploaded_by == clerk and sheet.file_name == name
    assert not PendingUpload.objects.exists()  # the temporary copy is removed when the import finishes


def test_preview_shows_counts_first_rows_and_unmatched_organisations(client, clerk, import_records):
    client.force_login(clerk)
    page = upload(client, "participants_cp932.csv", "participants", import_records["seminar"]).content.decode()
    for text in [
        "CSV（CP932）",
        "新規",
        "スキップ",
        "最初の 5 行",
        "髙橋 一郎",
        "山田 ①子",
        "ＮＰＯ法人まちづくり応援団（1行）",
    ]:
        assert text in page


def test_confirm_changes_the_session_count_and_says_so(client, clerk, import_records):
    client.force_login(clerk)
    seminar = import_records["seminar"]
    preview = upload(client, "participants_cp932.csv", "participants", seminar)
    response = client.post(reverse(PROCESS_URL), {**confirm_data(preview), "_confirm": "1"}, follow=True)
    message = str(list(response.context["messages"])[0])
    assert "「participants_cp932.csv」を取り込みました" in message and "地域まちづくり支援制度活用研修 5人" in message
    assert TrainingSession.objects.with_participant_counts().get(pk=seminar.pk).participant_count == 5


def test_the_success_message_writes_participant_counts_as_the_preview_does(client, clerk, import_records):
    # 「1,200人」 as in the preview's 参加者数の変化, not 「1200人」.
    client.force_login(clerk)
    lines = ["開催日,研修名,No.,氏名,ふりがな,所属,区,役職,備考"]
    lines += [f"2019/5/20,地域まちづくり支援制度活用研修,{n},受講者 {n:04d},,,南区,," for n in range(1, 1201)]
    data = ("\r\n".join(lines) + "\r\n").encode("cp932")
    preview = client.post(reverse(IMPORT_URL), {"kind": "auto", "import_file": SimpleUploadedFile("大.csv", data)})
    response = client.post(reverse(PROCESS_URL), {**confirm_data(preview), "_confirm": "1"}, follow=True)
    message = str(list(response.context["messages"])[0])
    assert "参加者数: 2019-05-20 地域まちづくり支援制度活用研修 1,200人。" in message


def test_preview_lists_every_row_error_and_offers_no_confirm(client, clerk, import_records):
    client.force_login(clerk)
    response = upload(client, "row_errors_multi.csv")
    page = response.content.decode()
    assert not response.context["can_confirm"]
    assert 'name="_confirm"' not in page
    for text in [
        "5 行にエラーがあります",
        "令和は2019年5月1日からです。",
        "13月という月はありません。",
        "氏名が空欄です。",
    ]:
        assert text in page
    # Confirming anyway (a forged POST) writes nothing.
    client.post(reverse(PROCESS_URL), {**confirm_data(response), "_confirm": "1"})
    assert not Attendance.objects.exists() and not AttendanceSheet.objects.exists()


def test_error_rows_download_as_csv_with_original_columns_and_reason(client, clerk, import_records):
    client.force_login(clerk)
    preview = upload(client, "row_errors_multi.csv")
    response = client.post(reverse(ERRORS_URL), confirm_data(preview))
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"] and "row_errors_multi" in response["Content-Disposition"]
    content = response.content
    assert content.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))
    assert rows[0] == ["元の行番号", "開催日", "研修名", "No.", "氏名", "所属", "区", "エラー内容"]
    assert [r[0] for r in rows[1:]] == ["3", "4", "5", "6", "7"]
    assert rows[1][:2] == ["3", "令和元年4月1日"] and rows[1][-1] == "A列「開催日」: 令和は2019年5月1日からです。"


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("garbage.csv", "文字コードを判別できません"),
        ("truncated_utf8.csv", "壊れた文字があります"),
        ("empty.csv", "ファイルが空です"),
        ("blank_lines_only.csv", "ファイルが空です"),
        ("utf16_truncated.txt", "UTF-16 のファイルが途中で切れているか壊れています"),
        ("broken.xlsx", "XLSX ファイルとして読み込めません"),
        ("old_excel.xls", "古い Excel 形式"),
        ("missing_column.csv", "見出しから名簿の種類を判別できません"),
    ],
)
def test_broken_files_are_refused_with_a_japanese_message(client, clerk, import_records, name, message):
    client.force_login(clerk)
    before = snapshot()
    response = upload(client, name)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert "confirm_form" not in response.context or not response.context.get("can_confirm")
    assert snapshot() == before


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("header_only.csv", "見出し行だけで、データの行がありません。"),
        ("wrong_columns.csv", "見出し「電話番号」、「メールアドレス」は「1研修の出席者名簿」の列ではありません。"),
        ("missing_column.csv", "必須の列「氏名」がありません"),
    ],
)
def test_files_with_wrong_headers_are_refused_naming_the_columns(client, clerk, import_records, name, message):
    client.force_login(clerk)
    response = upload(client, name, "participants", import_records["seminar"])
    assert "このファイルは取り込めません。" in response.content.decode()
    assert message in response.content.decode()
    assert not response.context["can_confirm"] and not AttendanceSheet.objects.exists()


def test_file_over_the_size_limit_is_refused(client, clerk, import_records, settings):
    settings.IMPORT_MAX_UPLOAD_BYTES = 64 * 1024
    client.force_login(clerk)
    response = upload(client, "over_limit.csv", "participants", import_records["seminar"])
    assert "ファイルが大きすぎます" in response.content.decode() and "64.0" in response.content.decode()
    assert not PendingUpload.objects.exists() and not Attendance.objects.exists()


def test_duplicate_upload_is_refused_naming_the_earlier_import(client, clerk, import_records):
    client.force_login(clerk)
    preview = upload(client, "participants_cp932.csv", "participants", import_records["seminar"])
    client.post(reverse(PROCESS_URL), {**confirm_data(preview), "_confirm": "1"})
    again = upload(client, "participants_cp932.csv", "participants", import_records["outreach"])
    page = again.content.decode()
    assert "同じ内容のファイルは既に取り込まれています" in page and "nyuryoku" in page
    assert not again.context["can_confirm"]
    assert Attendance.objects.count() == 5


def test_one_session_sheet_needs_a_session(client, clerk, import_records):
    client.force_login(clerk)
    response = upload(client, "participants_cp932.csv")
    assert "対象の研修を選んでください" in response.content.decode()
    assert not PendingUpload.objects.exists()


def test_cancel_removes_the_stored_upload(client, clerk, import_records):
    client.force_login(clerk)
    preview = upload(client, "sessions_cp932.csv")
    assert PendingUpload.objects.count() == 1
    response = client.post(reverse(PROCESS_URL), {**confirm_data(preview), "_cancel": "1"}, follow=True)
    assert "取込を取り消しました" in response.content.decode()
    assert not PendingUpload.objects.exists() and TrainingSession.objects.count() == 2


def test_the_confirm_reads_an_xlsx_from_the_stored_chunks_through_a_local_copy_it_removes(
    client, clerk, import_records, settings, tmp_path, monkeypatch
):
    settings.FILE_UPLOAD_TEMP_DIR = str(tmp_path)
    client.force_login(clerk)
    preview = upload(client, "participants_multi.xlsx")
    assert PendingUploadChunk.objects.filter(upload__name=confirm_data(preview)["import_file_name"]).exists()
    monkeypatch.setattr(import_admin, "load_plan", lambda *args, **kwargs: None)  # openpyxl reads the copy
    done = client.post(reverse(PROCESS_URL), {**confirm_data(preview), "_confirm": "1"})
    assert done.status_code == 302 and Attendance.objects.count() == preview.context["plan"].new_count
    assert not PendingUploadChunk.objects.exists()
    assert not list(tmp_path.iterdir())  # the confirm's local copy went with the request


def test_expired_upload_asks_to_upload_again(client, clerk, import_records):
    client.force_login(clerk)
    preview = upload(client, "sessions_cp932.csv")
    PendingUpload.objects.all().delete()
    response = client.post(reverse(PROCESS_URL), {**confirm_data(preview), "_confirm": "1"}, follow=True)
    assert "保存期限が切れたか" in response.content.decode()
    assert TrainingSession.objects.count() == 2


def test_abandoned_uploads_are_purged(client, clerk, import_records, settings):
    from datetime import timedelta

    from django.utils import timezone

    client.force_login(clerk)
    upload(client, "sessions_cp932.csv")
    PendingUpload.objects.update(
        created_at=timezone.now() - timedelta(minutes=settings.IMPORT_PENDING_MAX_AGE_MINUTES + 1)
    )
    upload(client, "sessions.xlsx")  # the next upload purges the abandoned one
    assert PendingUpload.objects.count() == 1


def test_import_needs_the_import_permission(client, import_records):
    staff = User.objects.create_user("etsuran", password="pw-for-tests-only", is_staff=True)
    staff.user_permissions.set(Permission.objects.filter(codename="view_attendancesheet"))
    client.force_login(staff)
    changelist = client.get(reverse("admin:trainings_attendancesheet_changelist"))
    assert changelist.status_code == 200 and reverse(IMPORT_URL) not in changelist.content.decode()
    assert client.get(reverse(IMPORT_URL)).status_code == 403
    assert upload(client, "sessions_cp932.csv").status_code == 403
    assert client.post(reverse(PROCESS_URL), {"import_file_name": "x"}).status_code == 403
    assert client.post(reverse(ERRORS_URL), {"import_file_name": "x"}).status_code == 403
    assert TrainingSession.objects.count() == 2


def test_import_button_is_shown_to_users_with_the_permission(client, clerk, import_records):
    client.force_login(clerk)
    changelist = client.get(reverse("admin:trainings_attendancesheet_changelist"))
    assert reverse(IMPORT_URL) in changelist.content.decode()
    assert client.get(reverse(IMPORT_URL)).status_code == 200


@pytest.mark.parametrize(
    ("admin_name", "header"),
    [
        ("trainingsession", "開催日,研修名,研修名（よみ）,日時,区分,主催,対象,区,会場,参加者数,名簿の人数"),
        ("attendance", "開催日,研修名,No.,氏名"),
    ],
)
def test_export_csv_has_a_bom_and_xlsx_opens(admin_client, import_records, admin_name, header):
    Attendance.objects.create(session=import_records["seminar"], name="=1+1")
    url = reverse(f"admin:trainings_{admin_name}_export")
    csv_response = admin_client.post(url, {"format": "0", "resource": "0"} | _all_fields(admin_client, url))
    assert csv_response.status_code == 200, csv_response.content[:500]
    assert csv_response.content.startswith(b"\xef\xbb\xbf" + header.encode())
    xlsx = admin_client.post(url, {"format": "1", "resource": "0"} | _all_fields(admin_client, url))
    assert xlsx.content.startswith(b"PK")
    if admin_name == "attendance":
        assert "'=1+1" in csv_response.content.decode("utf-8-sig")


def _all_fields(client, url):
    """Return the export form's field checkboxes, all ticked."""
    form = client.get(url).context["form"]
    return {name: "on" for name in form.fields if name not in {"format", "resource", "export_items"}}
