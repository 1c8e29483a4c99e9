"""Rows pasted from Excel (trainings/importing/paste.py): the sheet import's reader, validation and write.

The pasted text is built the way Excel puts a copied range on the clipboard: cells separated by
tabs, rows ended by CRLF, a cell holding a line break (Alt+Enter) or a tab written in double quotes.
"""

import csv
import io

import pytest

from trainings.importing.paste import PASTE_COLUMNS, PasteError, digest_of, paste_attendance, prepare
from trainings.importing.services import undo_import
from trainings.models import Attendance, AttendanceSheet, TrainingSession

HEADER = ["No.", "氏名", "ふりがな", "所属", "区", "役職", "備考"]
ROWS = [
    ["1", "横浜 花子", "よこはま はなこ", "中村地域ケアプラザ", "南区", "コーディネーター", ""],
    ["2", "港 太郎", "みなと たろう", "南区社会福祉協議会", "南", "", ""],
    ["3", "髙橋 次郎", "", "謎の会", "", "", ""],
]


def excel_clipboard(rows):
    """Return rows as Excel copies them: tab-separated, CRLF, cells with line breaks/tabs/quotes quoted."""
    buffer = io.StringIO()
    csv.writer(buffer, delimiter="\t", lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL).writerows(rows)
    return buffer.getvalue()


@pytest.fixture
def seminar(import_records):
    return import_records["seminar"]


def state():
    return (
        sorted(Attendance.objects.values_list("session_id", "name", "note", "sheet_id")),
        AttendanceSheet.objects.count(),
    )


def test_the_documented_order_is_the_sign_in_sheet(db):
    assert [column.label for column in PASTE_COLUMNS] == HEADER


@pytest.mark.parametrize("with_header", [True, False])
def test_rows_with_or_without_the_header_preview_then_save(seminar, with_header):
    text = excel_clipboard(([HEADER] if with_header else []) + ROWS)
    before = state()
    preview = paste_attendance(text, seminar)
    assert preview.is_valid, (preview.plan.base_errors, preview.errors)
    assert preview.has_header is with_header
    assert (preview.data_rows, preview.plan.new_count) == (3, 3)
    assert [row for row, _ in preview.preview] == [1, 2, 3] if not with_header else [2, 3, 4]
    assert state() == before  # the preview writes nothing

    saved = paste_attendance(text, seminar, save=True)
    assert saved.sheet_record is not None
    assert saved.sheet_record.file_name == "Excelから貼り付け"
    assert str(saved.sheet_record).count("（") == 1  # the upload time once, not twice
    rows = {a.name: a for a in seminar.attendances.select_related("organization", "ward")}
    assert sorted(rows) == sorted(["横浜 花子", "港 太郎", "髙橋 次郎"])
    assert rows["横浜 花子"].organization.name == "中村地域ケアプラザ"
    assert rows["港 太郎"].ward.name == "南区"
    assert rows["髙橋 次郎"].organization_text == "謎の会"
    seminar.refresh_from_db()
    assert seminar.attendance_count == 3
    assert list(saved.plan.unmatched_organizations) == ["謎の会"]


def test_a_header_in_another_order_with_fewer_columns_is_read_by_its_names(seminar):
    text = excel_clipboard([["所属", "氏名"], ["中村地域ケアプラザ", "横浜 花子"]])
    paste_attendance(text, seminar, save=True)
    (row,) = seminar.attendances.select_related("organization")
    assert (row.name, row.organization.name) == ("横浜 花子", "中村地域ケアプラザ")


def test_a_single_pasted_column_with_its_header(seminar):
    text = "氏名\r\n横浜 花子\r\n港, 太郎\r\n"
    paste_attendance(text, seminar, save=True)
    assert sorted(seminar.attendances.values_list("name", flat=True)) == sorted(["横浜 花子", "港, 太郎"])


def test_excels_quoted_multi_line_cell_is_one_cell_and_keeps_the_row_numbers(seminar):
    rows = [
        HEADER,
        ["1", "横浜 花子", "", "", "", "", "遅れて参加\n途中退席"],
        ["2", "港 太郎", "", "", "北海道", "", 'タブ\tと "引用符"'],
    ]
    text = excel_clipboard(rows)
    assert '"遅れて参加\n途中退席"' in text  # quoted by Excel, spanning two lines
    preview = paste_attendance(text, seminar)
    # The error is on Excel's row 3 (the header is row 1), column E, although it is the text's 4th line.
    assert [(i.row, i.column_letter, i.column, i.value) for i in preview.errors] == [(3, "E", "区", "北海道")]
    assert preview.errors[0].cell == "E3"
    rows[2][4] = "南区"
    paste_attendance(excel_clipboard(rows), seminar, save=True)
    notes = dict(seminar.attendances.values_list("name", "note"))
    assert notes["横浜 花子"] == "遅れて参加\n途中退席"
    assert notes["港 太郎"] == 'タブ\tと "引用符"'


@pytest.mark.parametrize(("with_header", "first_row"), [(True, 2), (False, 1)])
def test_errors_name_the_row_and_column_of_the_pasted_grid(seminar, with_header, first_row):
    rows = [
        ["1", "横浜 花子", "", "", "", "", ""],
        ["2", "", "", "", "", "", "氏名を書き忘れ"],
        ["3", "港 太郎", "", "", "どこか", "", ""],
    ]
    preview = paste_attendance(excel_clipboard(([HEADER] if with_header else []) + rows), seminar)
    assert not preview.is_valid
    found = sorted((i.row, i.column_letter, i.column) for i in preview.errors)
    assert found == [(first_row + 1, "B", "氏名"), (first_row + 2, "E", "区")]
    assert preview.error_rows == 2
    reasons = " ".join(i.reason for i in preview.errors)
    assert "氏名が空欄です" in reasons and "区" in reasons


def test_an_invalid_paste_saves_nothing(seminar):
    before = state()
    rows = [*ROWS, ["4", "", "", "", "", "", "氏名なし"]]
    result = paste_attendance(excel_clipboard(rows), seminar, save=True)
    assert result.sheet_record is None and result.errors
    assert state() == before


def test_a_failure_while_saving_leaves_nothing(seminar, monkeypatch):
    from trainings.importing import copy_writer

    before = state()

    def fail(*args, **kwargs):
        raise RuntimeError("ディスクがいっぱい")

    monkeypatch.setattr(copy_writer, "write_batch", fail)
    with pytest.raises(RuntimeError):
        paste_attendance(excel_clipboard(ROWS), seminar, save=True)
    assert state() == before


def test_a_database_error_while_saving_is_a_japanese_message(seminar, monkeypatch):
    from django.db import OperationalError

    from trainings.importing import copy_writer

    before = state()

    def fail(*args, **kwargs):
        raise OperationalError("server closed the connection unexpectedly")

    monkeypatch.setattr(copy_writer, "write_batch", fail)
    with pytest.raises(PasteError, match="保存できませんでした。何も書き込まれていません。"):
        paste_attendance(excel_clipboard(ROWS), seminar, save=True)
    assert state() == before


def test_a_second_paste_replaces_the_first_and_deleting_it_undoes_it(seminar):
    paste_attendance(excel_clipboard(ROWS), seminar, save=True)
    Attendance.objects.create(session=seminar, name="手入力 一郎")  # typed in: never replaced
    second = paste_attendance(excel_clipboard(ROWS[:1]), seminar)
    assert (second.plan.new_count, second.plan.update_count, second.plan.delete_count) == (0, 1, 2)
    record = paste_attendance(excel_clipboard(ROWS[:1]), seminar, save=True).sheet_record
    assert sorted(seminar.attendances.values_list("name", flat=True)) == sorted(["手入力 一郎", "横浜 花子"])
    record.delete()
    assert list(seminar.attendances.values_list("name", flat=True)) == ["手入力 一郎"]
    assert TrainingSession.objects.get(pk=seminar.pk).attendance_count == 1


@pytest.mark.parametrize("text", ["", "\r\n\r\n", "   \r\n\t\t\r\n"])
def test_an_empty_paste_is_refused_in_japanese(seminar, text):
    before = state()
    with pytest.raises(PasteError, match="貼り付けた内容が空です"):
        paste_attendance(text, seminar, save=True)
    assert state() == before


def test_rows_wider_than_the_sign_in_sheet_without_a_header_are_refused(seminar):
    with pytest.raises(PasteError, match="見出し行がなく、列が9列あります"):
        prepare(excel_clipboard([["1", "横浜 花子", "", "", "", "", "", "", "余分"]]))


def test_an_unclosed_quote_is_refused_in_japanese(seminar):
    text = '1\t横浜 花子\t"閉じない\r\n2\t港 太郎\r\n'
    try:
        preview = paste_attendance(text, seminar)
    except PasteError as error:
        assert "引用符" in str(error) or "読めません" in str(error)
    else:  # read as one long cell: then the row is shown with its problem, and nothing is saved
        assert not preview.is_valid or preview.data_rows == 1


def test_a_header_of_another_kind_is_explained(seminar):
    text = excel_clipboard([["開催日", "研修名", "参加者数"], ["2019/5/20", "研修", "3"]])
    preview = paste_attendance(text, seminar, save=True)
    assert preview.sheet_record is None
    assert any("1研修の出席者名簿" in message for message in preview.plan.base_errors)


def test_the_digest_ignores_the_line_ends_a_browser_changes():
    assert digest_of("a\tb\r\nc\td\r\n") == digest_of("a\tb\nc\td") == digest_of("a\tb\rc\td\n\n")
    assert digest_of("a\tb\nc\td") != digest_of("a\tb\nc\te")


def test_a_paste_shorter_than_the_typed_headcount_keeps_it_unless_chosen(seminar):
    seminar.headcount = 40
    seminar.save()
    text = excel_clipboard([HEADER, *ROWS])
    preview = paste_attendance(text, seminar)
    assert preview.is_valid and [change.text for change in preview.plan.count_changes] == [
        f"{seminar}: 参加者数 40人 → 40人（名簿は{len(ROWS)}人。入力済みの参加者数40人をそのまま使い、"
        "名簿の人は実人数などに数えます。名簿の人数を参加者数にするには"
        "「名簿の人数を参加者数にする」（コマンドでは --use-roster-count）を選んで取り込むか、"
        "取込後に研修の「名簿は一部」をオフにします）"
    ]
    kept = paste_attendance(text, seminar, save=True)
    assert kept.sheet_record is not None and seminar.attendances.count() == len(ROWS)
    assert TrainingSession.objects.get(pk=seminar.pk).roster_is_partial
    assert TrainingSession.objects.with_participant_counts().get(pk=seminar.pk).participant_count == 40

    # The same rows again are the same import: undo it first, then choose the roster's count.
    undo_import(kept.sheet_record)
    assert TrainingSession.objects.with_participant_counts().get(pk=seminar.pk).participant_count == 40
    chosen = paste_attendance(text, seminar, save=True, use_roster_count=True)
    assert chosen.sheet_record is not None
    assert not TrainingSession.objects.get(pk=seminar.pk).roster_is_partial
    assert TrainingSession.objects.with_participant_counts().get(pk=seminar.pk).participant_count == len(ROWS)
