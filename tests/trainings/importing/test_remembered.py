"""The pure side of 見出しの対応: which column a remembered spelling gives, and which choices are refused."""

from trainings.importing import columns as cols
from trainings.importing.remembered import Remembered, check_choices, mapping_key, options_for
from trainings.importing.tables import find_header
from trainings.models import SheetKind

PARTICIPANTS = SheetKind.PARTICIPANTS


def _uses(headers, kind=PARTICIPANTS, remembered=None):
    return cols.map_sheet_headers(headers, kind, lambda i: True, remembered)[2]


def _remembered(choices, kind="participants"):
    return Remembered({kind: {mapping_key(header): value for header, value in choices.items()}})


def test_a_spelling_is_remembered_as_written_with_its_bracket():
    assert mapping_key("参加者氏名（漢字）") == mapping_key(" 参加者氏名(漢字) ")
    assert mapping_key("参加者氏名（漢字）") != mapping_key("参加者氏名（ふりがな）")


def test_built_in_names_come_before_remembered_ones():
    remembered = Remembered(
        {"participants": {mapping_key("氏名"): "organization", mapping_key("ご所属"): "organization"}}
    )
    positions, errors, uses = cols.map_sheet_headers(["氏名", "ご所属"], PARTICIPANTS, lambda i: True, remembered)
    assert positions == {"name": 0, "organization": 1} and not errors
    assert [(u.meaning, u.source) for u in uses] == [("氏名", cols.AUTO), ("所属", cols.REMEMBERED)]


def test_a_choice_for_one_session_rosters_serves_rosters_of_many_sessions_but_not_session_lists():
    remembered = Remembered({"participants": {mapping_key("受講者名"): "name"}})
    assert remembered.column("受講者名", SheetKind.PARTICIPANTS_MULTI) is cols.NAME
    assert remembered.column("受講者名", SheetKind.SESSIONS) is None
    assert remembered.column("受講者名") is cols.NAME  # the header search, before the kind is known


def test_an_unknown_header_over_data_is_to_be_chosen_and_refuses_the_sheet_until_then():
    positions, errors, uses = cols.map_sheet_headers(["氏名", "電話番号"], PARTICIPANTS, lambda i: True)
    assert [(u.letter, u.header, u.source) for u in uses] == [("A", "氏名", cols.AUTO), ("B", "電話番号", cols.CHOOSE)]
    assert errors == [cols.unknown_headers_message(PARTICIPANTS, ["電話番号"])]
    skipped = Remembered({"participants": {mapping_key("電話番号"): cols.SKIP}})
    positions, errors, uses = cols.map_sheet_headers(["氏名", "電話番号"], PARTICIPANTS, lambda i: True, skipped)
    assert positions == {"name": 0} and not errors and uses[1].meaning == "取り込まない"


def test_the_header_search_finds_a_row_known_only_through_remembered_mappings():
    rows = [(1, ["受講者名簿"]), (2, []), (3, ["受講者名", "受講者の所属"]), (4, ["髙橋 一郎", "中村地域ケアプラザ"])]
    assert find_header(rows) is None
    remembered = Remembered(
        {"participants": {mapping_key("受講者名"): "name", mapping_key("受講者の所属"): "organization"}}
    )
    table = find_header(rows, remembered)
    assert (table.header_row, table.header_rows, table.headers) == (3, 1, ["受講者名", "受講者の所属"])


def test_choices_naming_a_taken_column_another_kinds_column_or_a_missing_header_are_refused():
    uses = _uses(["No.", "受講者名", "ふりがな", "ご所属"])
    assert check_choices(PARTICIPANTS, uses, {"受講者名": "name", "ご所属": "organization"}) == []
    assert check_choices(PARTICIPANTS, uses, {"受講者名": "name", "ご所属": "name"}) == [
        "D列「ご所属」を「氏名」にはできません: 「氏名」にはB列「受講者名」があたっています。"
        "別の列か「取り込まない」を選んでください。"
    ]
    assert check_choices(PARTICIPANTS, uses, {"ご所属": "name_kana"})[0].startswith("D列「ご所属」を「ふりがな」には")
    assert check_choices(PARTICIPANTS, uses, {"ご所属": "headcount"}) == [
        "見出し「ご所属」に選んだ「参加者数」は「1研修の出席者名簿」の列ではありません。"
    ]
    assert check_choices(PARTICIPANTS, uses, {"電話": "skip"}) == ["見出し「電話」はこのファイルにありません。"]
    assert check_choices(PARTICIPANTS, uses, {"ふりがな": "skip"}) == [
        "見出し「ふりがな」は「ふりがな」として読んでいます（選ぶ必要はありません）。"
    ]
    assert check_choices(PARTICIPANTS, uses, {"受講者名": "skip", "ご所属": "skip"}) == []


def test_the_options_are_the_kinds_columns_and_not_imported():
    values = [value for value, _ in options_for(SheetKind.SESSIONS)]
    assert values[: len(cols.COLUMNS[SheetKind.SESSIONS])] == [c.key for c in cols.COLUMNS[SheetKind.SESSIONS]]
    assert values[-1] == cols.SKIP and "name" not in values
