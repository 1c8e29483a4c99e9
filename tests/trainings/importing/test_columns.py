import pytest

from trainings.importing.columns import detect_kind, map_headers, map_sheet_headers
from trainings.models import SheetKind

PARTICIPANT_HEADERS = ["No.", "氏名", "ふりがな", "所属", "区", "役職", "備考"]


def test_headers_match_japanese_and_english_aliases_in_any_order():
    positions, errors = map_headers(
        ["name", "所属 ", "ＮＯ．", "フリガナ", "区名"], SheetKind.PARTICIPANTS, lambda i: True
    )
    assert errors == []
    assert positions == {"name": 0, "organization": 1, "no": 2, "name_kana": 3, "ward": 4}


def test_unknown_and_missing_columns_are_named():
    _, errors = map_headers(["No.", "電話番号", "ふりがな"], SheetKind.PARTICIPANTS, lambda i: True)
    assert any("「電話番号」" in e and "列ではありません" in e for e in errors)
    assert any("必須の列「氏名」がありません" in e for e in errors)


def test_empty_header_is_ignored_only_over_an_empty_column():
    _, errors = map_headers(["氏名", "", "所属"], SheetKind.PARTICIPANTS, lambda i: False)
    assert errors == []
    _, errors = map_headers(["氏名", "", "所属"], SheetKind.PARTICIPANTS, lambda i: i == 1)
    assert errors == ["B列の見出しが空欄ですが、データが入っています。見出しを付けてください。"]


@pytest.mark.parametrize(
    ("headers", "kind"),
    [
        (PARTICIPANT_HEADERS, SheetKind.PARTICIPANTS),
        (["開催日", "研修名", "氏名"], SheetKind.PARTICIPANTS_MULTI),
        (["開催日", "研修名", "参加者数"], SheetKind.SESSIONS),
        (["電話番号"], None),
    ],
)
def test_detect_kind(headers, kind):
    assert detect_kind(headers) == kind


def test_known_headers_do_not_ask_whether_their_columns_hold_data():
    # has_data costs a pass over every row of the sheet: asked only of columns not imported.
    asked = []

    def has_data(index):
        asked.append(index)
        return False

    headers = ["開催日", "研修名", "No.", "氏名", "ふりがな", "所属", "区", "出欠", ""]
    positions, errors, uses = map_sheet_headers(headers, SheetKind.PARTICIPANTS_MULTI, has_data)
    assert not errors and positions["name"] == 3
    assert asked == [7, 8]  # the unknown 出欠 (empty: not imported, no question) and the empty header
    assert [u.meaning for u in uses if u.index == 7] == ["取り込まない（データなし）"]
