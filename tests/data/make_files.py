"""Write the sample sheets in this folder (run once; the files themselves are committed and read by the tests).

    .venv/bin/python tests/data/make_files.py

The sheets refer to the records created by the `import_records` fixture in tests/trainings/conftest.py.
"""

import datetime
import random
from pathlib import Path

from openpyxl import Workbook

HERE = Path(__file__).resolve().parent

# One session's sign-in sheet: 髙 and ① must survive; 「中村 地域ケアプラザ」 matches the registered
# 「中村地域ケアプラザ」; 「南」 means 南区; a numbered empty line and a blank line are ignored;
# the trailing empty columns Excel leaves are ignored.
PARTICIPANTS = [
    ["No.", "氏名", "ふりがな", "所属", "区", "役職", "備考", "", ""],
    ["1", "髙橋 一郎", "たかはし いちろう", "中村地域ケアプラザ", "南", "コーディネーター", "", "", ""],
    ["2", "山田 ①子", "やまだ まるこ", "中村 地域ケアプラザ", "南区", "所長", "", "", ""],
    ["3", "佐藤 花子", "さとう はなこ", "南区社会福祉協議会", "南区", "", "", "", ""],
    ["4", "鈴木 次郎", "すずき じろう", "ＮＰＯ法人まちづくり応援団", "１４１０９", "理事", "", "", ""],
    ["5", "", "", "", "", "", "", "", ""],
    ["", "", "", "", "", "", "", "", ""],
    ["6", "田中 三郎", "たなか さぶろう", "", "保土ヶ谷", "", "備考, 引用符付き", "", ""],
]
# The same sheet with English headers in another order.
PARTICIPANTS_EN = [["name", "organization", "ward", "No", "kana", "role", "note"]] + [
    [r[1], r[3], r[4], r[0], r[2], r[5], r[6]] for r in PARTICIPANTS[1:]
]
# The corrected sheet for the same session: 佐藤's organisation fixed, 田中 removed, 伊藤 added.
CORRECTED = [
    ["No.", "氏名", "ふりがな", "所属", "区", "役職", "備考"],
    ["1", "髙橋 一郎", "たかはし いちろう", "中村地域ケアプラザ", "南", "コーディネーター", ""],
    ["2", "山田 ①子", "やまだ まるこ", "中村 地域ケアプラザ", "南区", "所長", ""],
    ["3", "佐藤 花子", "さとう はなこ", "中村地域ケアプラザ", "南区", "", "所属を訂正"],
    ["4", "鈴木 次郎", "すずき じろう", "ＮＰＯ法人まちづくり応援団", "港北区", "理事", ""],
    ["5", "伊藤 四郎", "いとう しろう", "南区社会福祉協議会", "南", "", ""],
]
MULTI = [
    ["開催日", "研修名", "No.", "氏名", "ふりがな", "所属", "区", "役職", "備考"],
    ["令和元年5月20日", "地域まちづくり支援制度活用研修", "1", "髙橋 一郎", "", "中村地域ケアプラザ", "南", "", ""],
    ["R1.5.20", "地域まちづくり支援制度活用研修", "2", "山田 ①子", "", "中村地域ケアプラザ", "南区", "", ""],
    ["２０１９/５/２０", "地域まちづくり支援制度活用研修", "3", "佐藤 花子", "", "南区社会福祉協議会", "", "", ""],
    ["2019年6月10日(月)", "出前塾（中村地域ケアプラザ）", "1", "髙橋 一郎", "", "中村地域ケアプラザ", "南", "", ""],
    ["2019-06-10", "出前塾（中村地域ケアプラザ）", "2", "渡辺 五郎", "", "", "瀬谷", "", ""],
]
SESSIONS = [
    ["開催日", "研修名", "区分", "主催", "対象", "区", "会場", "参加者数"],
    ["2019/5/20", "地域まちづくり支援制度活用研修", "ア", "", "区局職員", "中", "市庁舎", "６５"],
    ["H31.4.1", "協働入門研修", "ウ", "市民局", "区局職員", "", "研修センター", "120"],
    [
        "令和元年7月1日",
        "出前塾（南区社協）",
        "イ",
        "中村地域ケアプラザ",
        "ケアプラザ職員",
        "南",
        "南区社会福祉協議会",
        "18",
    ],
    ["R1.10.3", "区役所地区支援研修（青葉区）", "区役所向け研修", "", "区局職員", "青葉区", "青葉区役所", "30"],
]
# A CP932 sheet whose bytes are also valid UTF-8: ASCII headers and half-width katakana names
# made of pairs (lead C2–DF, then A1–BF), which UTF-8 would read as 「Ŷ Ϸ」. Saved by Excel's 「CSV」.
HALFWIDTH = [
    ["No", "name", "kana", "organization"],
    ["1", "ﾅｶ ﾏｷ", "ﾅｶ ﾏｷ", ""],
    ["2", "ﾎｼ ﾕｷ", "", ""],
]
# Cells with line breaks (Excel writes LF inside quotes, CRLF between rows), a ward that does not
# exist on Excel row 5 (file line 7) and the total rows offices add at the bottom.
LINE_BREAKS = [
    ["No.", "氏名", "所属", "区", "備考"],
    ["1", "髙橋 一郎", "中村地域ケアプラザ", "南", "午前のみ\n午後は欠席"],
    ["2", "山田 ①子", "中村地域ケアプラザ\n（地域活動交流）", "南区", ""],
    ["3", "佐藤 花子", "南区社会福祉協議会", "南", ""],
    ["4", "鈴木 次郎", "", "北区", "住所\n変更あり"],
    ["", "合計", "", "", ""],
    ["", "4名", "", "", ""],
    ["小計", "", "", "", "3"],
]
# A session list as offices type it: counts with 名/人, full-width digits and separators, 「―」「不明」
# for not known, 約 for an approximate count, 6-digit ward codes and every era form.
SESSIONS_AS_TYPED = [
    ["開催日", "研修名", "区", "参加者数"],
    ["令1.5.20", "地域まちづくり支援制度活用研修", "141054", "30名"],
    ["平成31.4.30", "協働入門研修", "14105", "１，２３４人"],
    ["R元.6.3", "出前塾（南区社協）", "南", "―"],
    ["H31年4月30日", "区役所地区支援研修", "", "不明"],
    ["2019/5/20（月・祝）", "まちづくり講座", "", "約30"],
    ["2019/5/21 14:00", "まちづくり講座２", "", "-"],
    ["令和元年5月22日（水）14時～16時", "まちづくり講座３", "", "未集計"],
]
ROW_ERRORS = [
    ["開催日", "研修名", "No.", "氏名", "所属", "区"],
    ["令和元年5月20日", "地域まちづくり支援制度活用研修", "1", "髙橋 一郎", "中村地域ケアプラザ", "南"],
    ["令和元年4月1日", "地域まちづくり支援制度活用研修", "2", "山田 ①子", "中村地域ケアプラザ", "南"],
    ["2019/13/1", "地域まちづくり支援制度活用研修", "3", "佐藤 花子", "", ""],
    ["2019/5/20", "地域まちづくり支援制度活用研修", "4", "", "南区社会福祉協議会", ""],
    ["2019/5/20", "地域まちづくり支援制度活用研修", "5", "鈴木 次郎", "", "北区"],
    ["2019/5/21", "存在しない研修", "6", "田中 三郎", "", ""],
]


# A care plaza's own sign-in sheet (title line, blank line, then its own headers): 「参加者氏名（漢字）」 and
# 「ご所属」 are not names the portal knows, 「電話番号」 is a column it does not keep. The next sheet of
# the same layout (another session, other people) is an XLSX made the same way.
OWN_HEADERS = [
    ["令和元年5月20日　地域まちづくり支援制度活用研修　参加者名簿", "", "", "", "", ""],
    ["", "", "", "", "", ""],
    ["No.", "参加者氏名（漢字）", "ふりがな", "ご所属", "電話番号", "区"],
    ["1", "髙橋 一郎", "たかはし いちろう", "中村地域ケアプラザ", "045-000-0001", "南"],
    ["2", "山田 ①子", "やまだ まるこ", "南区社会福祉協議会", "045-000-0002", "南区"],
    ["3", "佐藤 花子", "さとう はなこ", "", "", "保土ヶ谷"],
]
OWN_HEADERS_NEXT = [
    ["令和元年6月10日　出前塾（中村地域ケアプラザ）　参加者名簿", "", "", "", "", ""],
    ["", "", "", "", "", ""],
    ["No.", "参加者氏名（漢字）", "ふりがな", "ご所属", "電話番号", "区"],
    ["1", "伊藤 四郎", "いとう しろう", "中村地域ケアプラザ", "045-000-0003", "南"],
    ["2", "渡辺 五郎", "わたなべ ごろう", "", "090-0000-0004", "瀬谷"],
]


def own_headers_files():
    """Write the care plaza's own layout: a CP932 CSV and, for the next session, an XLSX."""
    write("own_headers_cp932.csv", csv_text(OWN_HEADERS).encode("cp932"))
    xlsx("own_headers_next.xlsx", OWN_HEADERS_NEXT)


def csv_text(rows):
    def cell(value):
        if "," in value or '"' in value or "\n" in value:
            return '"' + value.replace('"', '""') + '"'
        return value

    return "".join(",".join(cell(v) for v in row) + "\r\n" for row in rows)


def write(name, data):
    (HERE / name).write_bytes(data)


def xlsx(name, rows, date_columns=()):
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "名簿"
    for row in rows:
        values = []
        for index, value in enumerate(row):
            if index in date_columns and value.startswith("2019-"):
                value = datetime.date.fromisoformat(value)  # a real date cell
            elif value.isdigit() and len(value) < 5:
                value = int(value)
            values.append(value if value != "" else None)
        sheet.append(values)
    workbook.save(HERE / name)


def title_block_xlsx(name):
    """A sign-in sheet as a ward office lays it out: title block, two-row header with merged cells,
    a note beside the header, an instruction line under it, a hidden and a struck-through row,
    total rows, and a used range padded far beyond the table (a styled empty cell)."""
    from openpyxl.styles import Font

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "名簿"
    sheet["A1"] = "研修名：地域まちづくり支援制度活用研修"
    sheet["A2"] = "日時：令和元年5月20日（月）14:00～16:00"
    sheet["A3"] = "会場：市庁舎"
    sheet["A5"], sheet["B5"], sheet["D5"] = "No.", "氏名", "所属"
    sheet["B6"], sheet["C6"] = "漢字", "ふりがな"
    sheet["F5"] = "※太枠内をご記入ください"
    sheet.merge_cells("A5:A6")
    sheet.merge_cells("B5:C5")
    sheet.merge_cells("D5:D6")
    sheet["A7"] = "※ふりがなは必ずご記入ください"
    rows = [
        (1, "髙橋 一郎", "たかはし いちろう", "中村地域ケアプラザ"),
        (2, "山田 ①子", "やまだ まるこ", "中村地域ケアプラザ"),
        (3, "佐藤 花子", "さとう はなこ", "南区社会福祉協議会"),  # hidden
        (4, "鈴木 次郎", "すずき じろう", ""),  # struck through: cancelled
        (5, "田中 三郎", "たなか さぶろう", ""),
    ]
    for offset, row in enumerate(rows):
        for column, value in enumerate(row, start=1):
            sheet.cell(row=8 + offset, column=column, value=value)
    sheet.row_dimensions[10].hidden = True
    for column in range(1, 5):
        sheet.cell(row=11, column=column).font = Font(strike=True)
    sheet["B13"], sheet["D13"] = "合計", "4名"
    sheet["H40"].font = Font(bold=True)  # used range padding: a formatted, empty cell
    workbook.save(HERE / name)


def multi_sheet_xlsx(name):
    """One worksheet per session after a cover and an instructions sheet (the multi-session layout)."""
    workbook = Workbook()
    cover = workbook.active
    cover.title = "表紙"
    cover["B3"] = "令和元年度 研修出席者名簿"
    cover["B5"] = "地域まちづくり課"
    instructions = workbook.create_sheet("記入方法")
    instructions["A1"] = "記入方法"
    instructions["A2"] = "1. 参加者の氏名を記入してください。"
    for title, date, people in [
        ("5月20日", datetime.date(2019, 5, 20), ["髙橋 一郎", "山田 ①子"]),
        ("6月10日", datetime.date(2019, 6, 10), ["髙橋 一郎", "渡辺 五郎", "伊藤 四郎"]),
    ]:
        sheet = workbook.create_sheet(title)
        sheet.append(["開催日", "研修名", "No.", "氏名", "所属"])
        session = "地域まちづくり支援制度活用研修" if date.month == 5 else "出前塾（中村地域ケアプラザ）"
        for number, person in enumerate(people, start=1):
            sheet.append([date, session, number, person, "中村地域ケアプラザ"])
    workbook.save(HERE / name)


def two_rosters_xlsx(name):
    """Two one-session rosters in one workbook (午前・午後): which one to import must be chosen."""
    workbook = Workbook()
    for index, (title, people) in enumerate([("午前", ["髙橋 一郎", "山田 ①子"]), ("午後", ["佐藤 花子"])]):
        sheet = workbook.active if index == 0 else workbook.create_sheet()
        sheet.title = title
        sheet.append(["No.", "氏名", "所属"])
        for number, person in enumerate(people, start=1):
            sheet.append([number, person, ""])
    workbook.save(HERE / name)


def main():
    write("participants_cp932.csv", csv_text(PARTICIPANTS).encode("cp932"))
    write("participants_utf8_bom.csv", csv_text(PARTICIPANTS).encode("utf-8-sig"))
    write("participants_utf8.csv", csv_text(PARTICIPANTS_EN).encode("utf-8"))
    xlsx("participants.xlsx", PARTICIPANTS)
    write("participants_corrected_utf8.csv", csv_text(CORRECTED).encode("utf-8"))
    write("participants_multi_cp932.csv", csv_text(MULTI).encode("cp932"))
    write("participants_multi_utf8_bom.csv", csv_text(MULTI).encode("utf-8-sig"))
    xlsx("participants_multi.xlsx", MULTI, date_columns=(0,))
    write("sessions_cp932.csv", csv_text(SESSIONS).encode("cp932"))
    write("sessions_utf8_bom.csv", csv_text(SESSIONS).encode("utf-8-sig"))
    xlsx("sessions.xlsx", SESSIONS)
    write("row_errors_multi.csv", csv_text(ROW_ERRORS).encode("cp932"))
    write("sessions_as_typed_cp932.csv", csv_text(SESSIONS_AS_TYPED).encode("cp932"))
    title_block_xlsx("title_block.xlsx")
    multi_sheet_xlsx("multi_sheet.xlsx")
    two_rosters_xlsx("two_rosters.xlsx")
    own_headers_files()
    write("line_breaks_cp932.csv", csv_text(LINE_BREAKS).encode("cp932"))
    halfwidth = csv_text(HALFWIDTH).encode("cp932")
    assert halfwidth.decode("utf-8") != csv_text(HALFWIDTH)  # valid UTF-8, other letters
    write("halfwidth_kana_cp932.csv", halfwidth)
    # Excel's 「Unicode テキスト」: UTF-16 LE with a BOM, tab-separated, CRLF.
    tab_text = "".join("\t".join(row) + "\r\n" for row in PARTICIPANTS)
    write("participants_unicode_text.txt", b"\xff\xfe" + tab_text.encode("utf-16-le"))

    # Broken files.
    write("empty.csv", b"")
    write("blank_lines_only.csv", b",,,\r\n\r\n,,\r\n")
    write("header_only.csv", csv_text(PARTICIPANTS[:1]).encode("cp932"))
    write(
        "wrong_columns.csv",
        csv_text([["氏名", "電話番号", "メールアドレス"], ["山田 太郎", "045-000-0000", "a@example.jp"]]).encode(
            "utf-8"
        ),
    )
    write(
        "missing_column.csv",
        csv_text([["No.", "ふりがな", "所属"], ["1", "やまだ", "中村地域ケアプラザ"]]).encode("utf-8"),
    )
    utf8 = csv_text(PARTICIPANTS).encode("utf-8")
    cut = utf8.index("髙".encode()) + 1  # in the middle of 髙's three bytes
    write("truncated_utf8.csv", utf8[:cut])
    rng = random.Random(3)
    write("garbage.csv", bytes(rng.randrange(256) for _ in range(4096)))
    write("utf16.csv", csv_text(PARTICIPANTS).encode("utf-16"))
    write("utf16_truncated.txt", b"\xff\xfe" + tab_text.encode("utf-16-le")[:-1])
    write("broken.xlsx", (HERE / "participants.xlsx").read_bytes()[:1500])
    write("old_excel.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504))
    # A valid sheet of ~80 KB, over the limit the size test sets (64 KB).
    many = [PARTICIPANTS[0][:7]] + [
        [str(i), f"参加者{i}", "", "中村地域ケアプラザ", "南", "", ""] for i in range(1, 1500)
    ]
    write("over_limit.csv", csv_text(many).encode("utf-8"))


if __name__ == "__main__":
    main()
