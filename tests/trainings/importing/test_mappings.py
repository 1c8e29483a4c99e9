"""見出しの対応: an unknown header is asked, the choice is remembered, the next sheet of that layout imports
without questions, through the admin and through `manage.py import_attendance` alike."""

import html
import re

import pytest
from django.contrib.auth.models import Permission, User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.trainings.conftest import data_file
from tests.trainings.db_state import database_state
from tests.trainings.importing.both_paths import PROCESS_URL, via_admin, via_command
from trainings.importing import columns as cols
from trainings.importing.mappings import HeaderMapping
from trainings.models import Attendance, AttendanceSheet

FIRST = "own_headers_cp932.csv"  # CP932, CRLF, a title line above the care plaza's own headers
NEXT = "own_headers_next.xlsx"  # the same layout for the next session (openpyxl)
ASKED = ["参加者氏名（漢字）", "ご所属", "電話番号"]
CHOICES = {"参加者氏名（漢字）": "name", "ご所属": "organization", "電話番号": cols.SKIP}
# As typed in a terminal: ASCII brackets; remembered as the sheet writes the header.
MAPS = ["--map", "参加者氏名(漢字)=氏名", "--map", "ご所属=所属", "--map", "電話番号=取り込まない"]


def _asked_sentence(text):
    """Return the sentence that asks for the unknown headers, as the admin or the command shows it."""
    match = re.search(r"見出し「参加者氏名（漢字）」.*?使える見出し: [^。]*。", html.unescape(text))
    assert match, text
    return match[0]


def _upload(name):
    return SimpleUploadedFile(name, data_file(name))


def _preview(client, name, session, kind="participants"):
    return via_admin(client, name, data_file(name), kind=kind, session=session, confirm=False)


def _choose(client, preview, choices):
    """Post the choices of 「見出しの対応」 as the preview's form does; return the new preview response."""
    values = {k: ("" if v is None else v) for k, v in preview.context["confirm_form"].initial.items()}
    fields = {}
    for row in preview.context["header_rows"]:
        if row["field"] is not None:
            fields[f"header_{row['field']}"] = row["use"].header
            fields[f"map_{row['field']}"] = choices.get(row["use"].header, "")
    return client.post(reverse(PROCESS_URL), {**values, **fields, "_map": "1"})


def test_an_unknown_header_is_asked_in_the_preview_and_nothing_can_be_confirmed(client, clerk, import_records):
    client.force_login(clerk)
    outcome = _preview(client, FIRST, import_records["seminar"])
    page = client.post(
        reverse("admin:trainings_attendancesheet_import"),
        {
            "kind": "participants",
            "session": import_records["seminar"].pk,
            "import_file": _upload(FIRST),
        },
    )
    rows = page.context["header_rows"]
    assert [row["use"].header for row in rows if row["use"].source == cols.CHOOSE] == ASKED
    assert [row["use"].letter for row in rows] == ["A", "B", "C", "D", "E", "F"]
    known = {row["use"].header: row["use"].meaning for row in rows if row["use"].source == cols.AUTO}
    assert known == {"No.": "No.", "ふりがな": "ふりがな", "区": "区"}
    shown = page.content.decode()
    assert "見出しの対応" in shown and "要選択" in shown and '<option value="skip">取り込まない</option>' in shown
    assert '<option value="name">氏名</option>' in shown and "選んだ対応で確認し直す" in shown
    assert not page.context["can_confirm"] and 'name="_confirm"' not in shown
    assert (
        "見出し「参加者氏名（漢字）」、「ご所属」、「電話番号」は「1研修の出席者名簿」の列ではありません。"
        in outcome.text
    )
    assert not Attendance.objects.exists() and not AttendanceSheet.objects.exists()
    assert not HeaderMapping.objects.exists()


def test_a_sheet_whose_name_column_is_unknown_asks_for_the_kind_first_then_for_the_column(
    client, clerk, import_records
):
    client.force_login(clerk)
    auto = _preview(client, FIRST, import_records["seminar"], kind="auto")
    assert "見出しから名簿の種類を判別できません" in auto.text
    assert "種類を指定すると、分からない見出しがどの列にあたるかを選べます。" in auto.text
    command = via_command(FIRST, data_file(FIRST), "--session", str(import_records["seminar"].pk))
    assert "種類を指定すると、分からない見出しがどの列にあたるかを選べます。" in command.text


def test_pressing_the_button_without_a_choice_asks_again_and_remembers_nothing(client, clerk, import_records):
    client.force_login(clerk)
    first = client.post(
        reverse("admin:trainings_attendancesheet_import"),
        {"kind": "participants", "session": import_records["seminar"].pk, "import_file": _upload(FIRST)},
    )
    again = _choose(client, first, {})
    assert "「要選択」の見出しごとに、列か「取り込まない」を選んでから押してください。" in again.content.decode()
    assert not again.context["can_confirm"] and not HeaderMapping.objects.exists()


def test_the_command_asks_with_the_same_sentence_and_writes_nothing(client, clerk, import_records):
    client.force_login(clerk)
    session = import_records["seminar"]
    admin = _preview(client, FIRST, session)
    before = database_state()
    command = via_command(FIRST, data_file(FIRST), "--kind", "participants", "--session", str(session.pk))
    assert not command.imported and database_state() == before
    assert _asked_sentence(command.text) == _asked_sentence(admin.text)
    assert "見出しの対応: B列「参加者氏名（漢字）」→ ？（要選択）" in command.text
    assert "--map" in _asked_sentence(command.text) and "見出しの対応" in _asked_sentence(command.text)


def test_the_choice_is_remembered_and_the_next_sheet_imports_without_questions_via_admin(client, clerk, import_records):
    client.force_login(clerk)
    first = client.post(
        reverse("admin:trainings_attendancesheet_import"),
        {"kind": "participants", "session": import_records["seminar"].pk, "import_file": _upload(FIRST)},
    )
    chosen = _choose(client, first, CHOICES)
    assert chosen.status_code == 200
    assert chosen.context["can_confirm"], chosen.context["plan"].base_errors
    assert {(m.header, m.column, m.kind, m.created_by) for m in HeaderMapping.objects.all()} == {
        (header, value, "participants", clerk) for header, value in CHOICES.items()
    }
    sources = {row["use"].header: (row["use"].meaning, row["use"].source) for row in chosen.context["header_rows"]}
    assert sources["参加者氏名（漢字）"] == ("氏名", cols.REMEMBERED)
    assert sources["電話番号"] == ("取り込まない", cols.REMEMBERED)
    values = {k: ("" if v is None else v) for k, v in chosen.context["confirm_form"].initial.items()}
    client.post(reverse(PROCESS_URL), {**values, "_confirm": "1"})
    assert sorted(Attendance.objects.values_list("name", "organization_text")) == [
        ("佐藤 花子", ""),
        ("山田 ①子", "南区社会福祉協議会"),
        ("髙橋 一郎", "中村地域ケアプラザ"),
    ]
    # The next sheet of the same layout, kind from its headers: no question, imported at once.
    outcome = via_admin(client, NEXT, data_file(NEXT), session=import_records["outreach"])
    assert outcome.imported, outcome.text
    assert "要選択" not in outcome.text and "登録済みの対応" in outcome.text
    assert set(Attendance.objects.filter(session=import_records["outreach"]).values_list("name", flat=True)) == {
        "伊藤 四郎",
        "渡辺 五郎",
    }


def test_the_choice_is_remembered_and_the_next_sheet_imports_without_questions_via_command(import_records):
    session, outreach = import_records["seminar"], import_records["outreach"]
    first = via_command(FIRST, data_file(FIRST), "--kind", "participants", "--session", str(session.pk), *MAPS)
    assert first.imported, first.text
    assert "見出し「参加者氏名（漢字）」、「ご所属」、「電話番号」の対応を登録しました" in first.text
    assert {(m.header, m.column, m.created_by) for m in HeaderMapping.objects.all()} == {
        (header, value, None) for header, value in CHOICES.items()
    }
    after = via_command(NEXT, data_file(NEXT), "--session", str(outreach.pk))
    assert after.imported, after.text
    assert "要選択" not in after.text and "E列「電話番号」→ 取り込まない（登録済みの対応）" in after.text
    assert Attendance.objects.filter(session=outreach).count() == 2


def test_a_dry_run_applies_the_choice_but_does_not_remember_it(import_records):
    session = import_records["seminar"]
    before = database_state()
    outcome = via_command(
        FIRST, data_file(FIRST), "--kind", "participants", "--session", str(session.pk), "--dry-run", *MAPS
    )
    assert "件数: 新規 3件" in outcome.text and "確認のみのため登録していません" in outcome.text
    assert database_state() == before and not HeaderMapping.objects.exists()


def test_not_imported_drops_the_column_and_says_so(client, clerk, import_records):
    session = import_records["seminar"]
    command = via_command(FIRST, data_file(FIRST), "--kind", "participants", "--session", str(session.pk), *MAPS)
    assert "E列「電話番号」→ 取り込まない（登録済みの対応）" in command.text
    stored = " ".join(" ".join(map(str, row)) for row in Attendance.objects.values_list())
    assert Attendance.objects.count() == 3 and "045-000-000" not in stored
    client.force_login(clerk)
    preview = _preview(client, NEXT, import_records["outreach"], kind="auto")
    assert "「電話番号」 → 取り込まない 登録済みの対応" in preview.text


def test_a_column_already_taken_is_refused_in_japanese_and_nothing_is_remembered(client, clerk, import_records):
    client.force_login(clerk)
    first = client.post(
        reverse("admin:trainings_attendancesheet_import"),
        {"kind": "participants", "session": import_records["seminar"].pk, "import_file": _upload(FIRST)},
    )
    taken = "D列「ご所属」を「ふりがな」にはできません: 「ふりがな」にはC列「ふりがな」があたっています。"
    refused = _choose(client, first, {**CHOICES, "ご所属": "name_kana"})
    assert taken in refused.content.decode() and not refused.context["can_confirm"]
    twice = _choose(client, first, {**CHOICES, "電話番号": "name"})
    assert "E列「電話番号」を「氏名」にはできません" in twice.content.decode()
    assert not HeaderMapping.objects.exists() and not AttendanceSheet.objects.exists()
    session = str(import_records["seminar"].pk)
    maps = [*MAPS, "--map", "ご所属=ふりがな"]
    command = via_command(FIRST, data_file(FIRST), "--kind", "participants", "--session", session, *maps)
    assert taken in command.text and not command.imported and not HeaderMapping.objects.exists()


def test_a_header_only_known_through_a_remembered_mapping_is_found(import_records):
    # Nothing in this header row is a name the portal knows: only the remembered mappings find it.
    text = "受講者名簿（南区）,,\r\n\r\n受講者名,受講者の所属,連絡先\r\n髙橋 一郎,中村地域ケアプラザ,045-000-0001\r\n"
    data = text.encode("cp932")
    session = str(import_records["seminar"].pk)
    refused = via_command("受講者.csv", data, "--kind", "participants", "--session", session)
    assert "見出し行が見つかりません" in refused.text
    maps = ["--map", "受講者名=氏名", "--map", "受講者の所属=所属", "--map", "連絡先=取り込まない"]
    assert via_command("受講者.csv", data, "--kind", "participants", "--session", session, *maps).imported
    again = via_command("受講者2.csv", data.replace(b"045", b"046"), "--session", session)
    assert again.imported, again.text
    # A blank line above the header is not read as the first row of a two-row header.
    assert "3行目を見出しとして読みました（それより上の行は読みません）" in again.text


def test_an_unknown_header_over_an_empty_column_is_not_asked(import_records):
    text = "No.,氏名,出欠\r\n1,髙橋 一郎,\r\n2,山田 ①子,\r\n"
    session = str(import_records["seminar"].pk)
    outcome = via_command("名簿.csv", text.encode("cp932"), "--session", session)
    assert outcome.imported, outcome.text
    assert "C列「出欠」→ 取り込まない（データなし）（自動）" in outcome.text


@pytest.fixture
def mapping_admin(db):
    """A data-entry user as the 入力担当 role makes them: may import, see and delete 見出しの対応."""
    user = User.objects.create_user("mapper", password="pw-for-tests-only", is_staff=True)
    codenames = ["import_attendancesheet", "view_trainingsession", "view_headermapping", "delete_headermapping"]
    user.user_permissions.set(Permission.objects.filter(codename__in=codenames))
    return user


def test_the_mapping_admin_lists_searches_and_deletes_and_holds_no_personal_data(client, mapping_admin, import_records):
    session = str(import_records["seminar"].pk)
    via_command(FIRST, data_file(FIRST), "--kind", "participants", "--session", session, *MAPS)
    client.force_login(mapping_admin)
    url = reverse("admin:trainings_headermapping_changelist")
    page = client.get(url).content.decode()
    for text in ["見出しの対応", "参加者氏名（漢字）", "ご所属", "電話番号", "取り込まない", "1研修の出席者名簿"]:
        assert text in page
    # Header text only: no name, reading, organisation or telephone number of the sheet's rows.
    for personal in ["髙橋", "たかはし", "045-000-0001", "中村地域ケアプラザ"]:
        assert personal not in page
    assert "ご所属" not in client.get(url, {"q": "氏名"}).content.decode()
    assert client.get(reverse("admin:trainings_headermapping_add")).status_code == 403
    mapping = HeaderMapping.objects.get(header="参加者氏名（漢字）")
    delete = reverse("admin:trainings_headermapping_delete", args=[mapping.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 302
    assert not HeaderMapping.objects.filter(pk=mapping.pk).exists()
    # Removed: the next sheet with that header asks again.
    again = via_command(NEXT, data_file(NEXT), "--kind", "participants", "--session", session)
    assert not again.imported and "B列「参加者氏名（漢字）」→ ？（要選択）" in again.text


def test_the_remembered_mappings_are_loaded_in_one_query_per_preview(client, clerk, import_records):
    via_command(
        FIRST, data_file(FIRST), "--kind", "participants", "--session", str(import_records["seminar"].pk), *MAPS
    )
    client.force_login(clerk)
    with CaptureQueriesContext(connection) as queries:
        outcome = via_admin(client, NEXT, data_file(NEXT), session=import_records["outreach"], confirm=False)
    assert "登録済みの対応" in outcome.text and "要選択" not in outcome.text
    assert len([q for q in queries if "trainings_headermapping" in q["sql"]]) == 1


@pytest.mark.parametrize(
    ("option", "message"),
    [
        ("参加者氏名", '--map "参加者氏名" は「見出し=列名」の形で指定してください'),
        ("参加者氏名=お名前欄", "--map の列名「お名前欄」が分かりません（使える列名: No.、氏名、"),
        ("ご所属=参加者数", "見出し「ご所属」に選んだ「参加者数」は「1研修の出席者名簿」の列ではありません。"),
        ("連絡先=取り込まない", "見出し「連絡先」はこのファイルにありません。"),
    ],
)
def test_an_unreadable_map_option_is_refused_in_japanese_and_nothing_is_written(import_records, option, message):
    session = str(import_records["seminar"].pk)
    before = database_state()
    outcome = via_command(FIRST, data_file(FIRST), "--kind", "participants", "--session", session, "--map", option)
    assert not outcome.imported and message in outcome.text
    assert database_state() == before
