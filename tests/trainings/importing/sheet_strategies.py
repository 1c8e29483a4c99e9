"""Hypothesis strategies producing the files people actually upload — and the ones they should not.

Sheets are built from header sets (the Japanese/English aliases, decorated, permuted, repeated,
mixed with unknown ones) and rows whose cells are mostly plausible for their column (the names,
wards, dates and titles the `import_records` fixture knows) and sometimes hostile: formula
strings, control characters, huge cells, impossible dates, numbers too large for any column.
They are then serialised as CSV in UTF-8 (with or without BOM), CP932, UTF-16 or a splice of
UTF-8 and CP932 lines, optionally damaged byte by byte, or as XLSX (also possibly truncated or
with an XML-illegal character injected), or are just random bytes.
"""

import csv
import datetime
import io
import re
import unicodedata

from hypothesis import strategies as st

from trainings.importing import columns as cols
from trainings.models import Audience

ALIASES = sorted(
    {alias for columns in cols.COLUMNS.values() for c in columns for alias in (c.label, *c.aliases)} | set(cols.IGNORED)
)
KNOWN_TITLES = ["地域まちづくり支援制度活用研修", "出前塾（中村地域ケアプラザ）"]
KNOWN_DATES = ["2019/5/20", "2019-05-20", "令和元年5月20日", "R1.5.20", "2019/6/10", "R1.6.10", "２０１９年６月１０日"]
FORMULAS = [
    "=cmd|' /C calc'!A0",
    '=HYPERLINK("http://example.invalid","x")',
    "+1+1",
    "-2+3",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "'=1+1",
    "=1/0",
    "\t=1+1",
]
# Text without control characters or surrogates: what Excel would save.
PRINTABLE = st.characters(blacklist_categories=("Cc", "Cs"))
CONTROL = st.characters(max_codepoint=0x1F) | st.sampled_from(["\x7f", "\u0085", "\u2028", "\ufeff", "\x00"])


def _fullwidth(text):
    return "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else c for c in text)


def _decorated(alias):
    """Return the header as people write it: extra spaces, full width, (注記), ※, upper case."""
    return st.sampled_from(
        [
            alias,
            f" {alias} ",
            " ".join(alias),
            _fullwidth(alias),
            alias.upper(),
            f"{alias}（必須）",
            f"※{alias}",
            f"{alias}:",
            unicodedata.normalize("NFKD", alias),
        ]
    )


header = st.one_of(
    st.sampled_from(ALIASES).flatmap(_decorated),
    st.sampled_from(ALIASES),
    st.text(PRINTABLE, max_size=25),
    st.just(""),
)


def _plausible_headers(kind_columns):
    """Return a strategy of header lists for one kind: its columns in any order, some left out."""
    return st.permutations(kind_columns).flatmap(
        lambda columns: st.lists(st.booleans(), min_size=len(columns), max_size=len(columns)).map(
            lambda keep: (
                [c.label if i % 2 else (c.aliases or (c.label,))[0] for i, c in enumerate(columns) if keep[i]]
                or [columns[0].label]
            )
        )
    )


headers = st.one_of(
    st.sampled_from(list(cols.COLUMNS.values())).map(lambda columns: [c.label for c in columns]),
    st.sampled_from(list(cols.COLUMNS.values())).flatmap(_plausible_headers),
    st.lists(header, max_size=12),
    # Valid sets with duplicates or unknown columns spliced in.
    st.tuples(
        st.sampled_from(list(cols.COLUMNS.values())).flatmap(_plausible_headers), st.lists(header, max_size=3)
    ).flatmap(lambda t: st.permutations(t[0] + t[1])),
)


def _date_text(day):
    era = "令和" if day >= datetime.date(2019, 5, 1) else "平成"
    era_year = day.year - (2018 if era == "令和" else 1988)
    return st.sampled_from(
        [
            day.isoformat(),
            f"{day.year}/{day.month}/{day.day}",
            f"{day.year}年{day.month}月{day.day}日",
            f"{era}{era_year}年{day.month}月{day.day}日",
            f"{'R' if era == '令和' else 'H'}{era_year}.{day.month}.{day.day}",
            _fullwidth(f"{day.year}/{day.month}/{day.day}"),
            f"{day.year}/{day.month}/{day.day}(水)",
            f"{day.isoformat()} 0:00:00",
        ]
    )


dates = st.one_of(
    st.sampled_from(KNOWN_DATES),
    st.dates(min_value=datetime.date(1, 1, 1)).flatmap(_date_text),
    # Impossible or out-of-era dates: 2018/2/30, 令和元年4月1日, 平成32年1月1日, 0000/13/00 …
    st.tuples(st.integers(-1, 10001), st.integers(-1, 14), st.integers(-1, 33)).flatmap(
        lambda t: st.sampled_from(
            [
                f"{t[0]}/{t[1]}/{t[2]}",
                f"{t[0]:04d}-{t[1]:02d}-{t[2]:02d}",
                f"令和{t[0] % 100}年{t[1]}月{t[2]}日",
                f"平成{t[0] % 100}年{t[1]}月{t[2]}日",
                f"H{t[0] % 100}.{t[1]}.{t[2]}",
                f"明治{t[0] % 100}年{t[1]}月{t[2]}日",
            ]
        )
    ),
)
numbers = st.one_of(
    st.integers(-(10**6), 10**6).map(str),
    st.integers(-(10**40), 10**40).map(str),
    st.integers(0, 10**12).map(lambda n: f"{n:,}人"),
    st.integers(0, 10**6).map(lambda n: _fullwidth(str(n))),
    st.floats(allow_nan=True, allow_infinity=True).map(str),
    st.integers(4000, 6000).map(lambda n: "9" * n),  # beyond Python's int-from-text digit limit
)
huge = st.integers(101, 120_000).flatmap(lambda n: st.sampled_from(["長" * n, "x" * n, "a," * (n // 2)]))
hostile = st.one_of(
    st.sampled_from(FORMULAS),
    st.text(CONTROL, min_size=1, max_size=4),
    st.tuples(st.text(PRINTABLE, max_size=5), st.text(CONTROL, min_size=1, max_size=2)).map("".join),
    st.sampled_from(['"', '""', 'a"b', "\r\n", "\n", "\r", ",", "\t"]),
    huge,
    numbers,
    dates,
)
anything = st.one_of(st.text(PRINTABLE, max_size=30), st.just(""), hostile)

VALUES = {
    "no": st.integers(1, 200).map(str),
    "name": st.sampled_from(["髙橋 一郎", "山田 ①子", "Tanaka Taro", "佐藤　花子"])
    | st.text(PRINTABLE, min_size=1, max_size=20),
    "name_kana": st.text(PRINTABLE, max_size=20),
    "organization": st.sampled_from(["中村地域ケアプラザ", "中村 地域ケアプラザ", "南区社会福祉協議会", "未登録の会"]),
    "ward": st.sampled_from(["南区", "南", "横浜市南区", "14105", "１４１０９", "保土ヶ谷", "火星区", ""]),
    "role": st.text(PRINTABLE, max_size=20),
    "note": st.text(PRINTABLE, max_size=40),
    "date": dates,
    "title": st.sampled_from(KNOWN_TITLES) | st.text(PRINTABLE, min_size=1, max_size=30),
    "category": st.sampled_from(["ア", "イ", "出前塾", "オ", ""]),
    "host": st.sampled_from(["市民局", "中村地域ケアプラザ", "どこか", ""]),
    "audience": st.sampled_from([label for _, label in Audience.choices] + ["residents", "誰か", ""]),
    "venue": st.text(PRINTABLE, max_size=30),
    "headcount": st.integers(0, 500).map(str) | numbers | st.just(""),
    "title_kana": st.text(PRINTABLE, max_size=30),
    "time": st.sampled_from(
        ["14:00～16:00", "１０：００〜１２：００", "9時～12時30分", "25:00", "16:00～14:00", "午後", ""]
    ),
}


def _cell_for(header_text):
    column = cols.column_for(header_text)
    if isinstance(column, cols.Column):
        plausible = VALUES[column.key]
        return st.one_of(plausible, plausible, plausible, anything)
    return anything


def rows_for(header_cells):
    """Return a strategy of data rows for `header_cells`: mostly plausible per column, sometimes ragged."""
    row = st.tuples(*[_cell_for(h) for h in header_cells]).map(list) if header_cells else st.just([])
    ragged = st.tuples(row, st.lists(anything, max_size=2)).map(lambda t: t[0] + t[1])
    return st.lists(st.one_of(row, row, row, ragged, st.just([])), max_size=12)


# Sessions the `import_records` fixture creates, as (date as written, title as written) pairs.
KNOWN_SESSIONS = [
    (st.sampled_from(["2019/5/20", "2019-05-20", "令和元年5月20日", "R1.5.20"]), KNOWN_TITLES[0]),
    (st.sampled_from(["2019/6/10", "R1.6.10", "２０１９年６月１０日"]), KNOWN_TITLES[1]),
]
PORTAL_YEARS = (datetime.date(1989, 1, 8), datetime.date(2100, 12, 31))
free_text = st.one_of(st.text(PRINTABLE, max_size=30), st.sampled_from(FORMULAS[:6]))
CLEAN = {
    **VALUES,
    "name": VALUES["name"].filter(lambda n: n.strip()),
    "name_kana": free_text,
    "role": free_text,
    "note": free_text,
    "venue": free_text,
    "organization": VALUES["organization"] | free_text,
    "ward": st.sampled_from(["南区", "南", "横浜市南区", "14105", "１４１０９", "保土ヶ谷", ""]),
    "category": st.sampled_from(["ア", "イ", "出前塾", ""]),
    "host": st.sampled_from(["市民局", "中村地域ケアプラザ", ""]),
    "headcount": st.integers(0, 500).map(str) | st.just("") | st.integers(0, 999).map(lambda n: f"{n}人"),
    "title_kana": st.sampled_from(["ケンシュウ", "けんしゅう", ""]),
    "time": st.sampled_from(["14:00～16:00", "１０：００〜１２：００", "9時～12時30分", "13:30", ""]),
}


@st.composite
def clean_table(draw):
    """Return (headers, rows) of one kind that should import: valid values, the fixture's sessions."""
    columns = draw(st.sampled_from(list(cols.COLUMNS.values())))
    keys = [c.key for c in columns]
    # Only spellings that name this column on their own: 「日時」 is both a date and a time header,
    # read by its neighbours (tests/trainings/importing/test_headers.py covers it).
    spellings = [[s for s in (c.label, *c.aliases) if cols.column_for(s) == c] for c in columns]
    header_cells = draw(st.permutations([draw(st.sampled_from(names)) for names in spellings]))
    by_key = {cols.column_for(h).key: i for i, h in enumerate(header_cells)}
    rows = []
    for number in range(draw(st.integers(1, 8))):
        date_text, title = KNOWN_SESSIONS[draw(st.integers(0, 1))]
        cells = [""] * len(header_cells)
        for key in keys:
            if key == "date":
                value = draw(date_text) if "name" in keys else draw(st.dates(*PORTAL_YEARS).flatmap(_date_text))
            elif key == "title":
                value = title if "name" in keys else draw(st.text(PRINTABLE, min_size=1, max_size=40)) + str(number)
            else:
                value = draw(CLEAN[key])
            cells[by_key[key]] = value
        rows.append(cells)
    return header_cells, rows


tables = st.one_of(clean_table(), headers.flatmap(lambda h: st.tuples(st.just(h), rows_for(h))))


def csv_text(header_cells, rows, delimiter=","):
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(header_cells)
    writer.writerows(rows)
    return out.getvalue()


@st.composite
def csv_bytes(draw, table):
    """Return the bytes of `table` as CSV in one encoding, or a splice of several."""
    header_cells, rows = table
    text = csv_text(header_cells, rows, delimiter=draw(st.sampled_from([",", ",", "\t"])))
    encoding = draw(st.sampled_from(["utf-8", "utf-8-sig", "cp932", "cp932", "utf-16", "utf-16-le", "mixed"]))
    if encoding != "mixed":
        return text.encode(encoding, errors="replace")
    # Lines saved by different programs pasted together: UTF-8 and CP932 fragments in one file.
    lines = text.splitlines(keepends=True)
    choices = draw(st.lists(st.sampled_from(["utf-8", "cp932"]), min_size=len(lines), max_size=len(lines)))
    return b"".join(line.encode(enc, errors="replace") for line, enc in zip(lines, choices, strict=True))


@st.composite
def damaged(draw, data):
    """Return `data` with BOMs in odd places, random bytes changed, inserted or cut off."""
    data = bytearray(data)
    for _ in range(draw(st.integers(0, 4))):
        action = draw(st.sampled_from(["bom", "bom16", "flip", "insert", "delete", "truncate"]))
        at = draw(st.integers(0, len(data)))
        if action == "bom":
            data[at:at] = b"\xef\xbb\xbf"
        elif action == "bom16":
            data[at:at] = b"\xff\xfe"
        elif action == "insert":
            data[at:at] = draw(st.binary(min_size=1, max_size=8))
        elif action == "flip" and at < len(data):
            data[at] = draw(st.integers(0, 255))
        elif action == "delete":
            del data[at : at + draw(st.integers(1, 8))]
        elif action == "truncate":
            del data[at:]
    return bytes(data)


def _xlsx_value(value):
    # openpyxl refuses XML-illegal characters when writing; such a cell is dropped here and the
    # `xml_illegal` damage below puts the byte into the file itself instead.
    if isinstance(value, str) and any(ord(c) < 0x20 and c not in "\t\n\r" for c in value):
        return "".join(c for c in value if ord(c) >= 0x20 or c in "\t\n\r")
    return value


@st.composite
def xlsx_bytes(draw, table, typed_cells=True):
    """Return `table` as an XLSX file, with cells sometimes typed (dates, numbers) as Excel stores them."""
    from openpyxl import Workbook

    header_cells, rows = table
    typed = st.one_of(
        st.dates(min_value=datetime.date(1900, 3, 1)),
        st.datetimes(min_value=datetime.datetime(1900, 3, 1)),
        st.integers(-(10**15), 10**15),
        st.floats(allow_nan=False, allow_infinity=False, width=32),
        st.booleans(),
        st.times(),
    )
    workbook = Workbook()
    sheet = workbook.active
    sheet.append([_xlsx_value(h) for h in header_cells])
    for row in rows:
        cells = [_xlsx_value(c) for c in row]
        if typed_cells and cells and draw(st.booleans()):
            cells[draw(st.integers(0, len(cells) - 1))] = draw(typed)
        sheet.append(cells)
    out = io.BytesIO()
    workbook.save(out)
    return _deterministic(out.getvalue())


_FIXED_TIME = (2019, 5, 20, 0, 0, 0)
_TIMESTAMP = re.compile(rb"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ")


def _deterministic(data):
    """Return the XLSX `data` with its save time (document properties, ZIP entries) fixed.

    Hypothesis replays an example by drawing the same choices again; a file whose length depends
    on the clock would make a damage offset drawn within it differ between runs.
    """
    import zipfile

    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for name in source.namelist():
            content = _TIMESTAMP.sub(b"2019-05-20T00:00:00Z", source.read(name))
            target.writestr(zipfile.ZipInfo(name, date_time=_FIXED_TIME), content)
    return out.getvalue()


@st.composite
def xml_illegal(draw, data):
    """Return the XLSX `data` with an XML-illegal character written into its worksheet."""
    import zipfile

    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    injected = draw(st.sampled_from([b"&#1;", b"\x01", b"&#0;", b"<", b"&bogus;"]))
    with zipfile.ZipFile(out, "w") as target:
        for name in source.namelist():
            content = source.read(name)
            if name == "xl/worksheets/sheet1.xml":
                content = content.replace(b"</t>", injected + b"</t>", 1)
            target.writestr(zipfile.ZipInfo(name, date_time=_FIXED_TIME), content)
    return out.getvalue()


def _files(table):
    as_csv = csv_bytes(table)
    as_xlsx = xlsx_bytes(table)
    return st.one_of(
        as_csv,
        as_csv,
        as_csv.flatmap(damaged),
        as_xlsx,
        as_xlsx.flatmap(damaged),
        as_xlsx.flatmap(xml_illegal),
    )


@st.composite
def _clean_csv(draw, table):
    text = csv_text(*table)
    return text.encode(draw(st.sampled_from(["utf-8", "utf-8-sig", "cp932"])), errors="replace")


# About half the files are sound sheets (which should mostly import), the rest anything at all.
files = st.one_of(
    clean_table().flatmap(lambda t: st.one_of(_clean_csv(t), _clean_csv(t), xlsx_bytes(t, typed_cells=False))),
    clean_table().flatmap(_clean_csv),
    tables.flatmap(_files),
    st.binary(max_size=3000),
    st.binary(max_size=50).map(lambda b: b"PK\x03\x04" + b),
)
file_names = st.sampled_from(
    ["名簿.csv", "名簿.csv", "研修一覧.CSV", "sheet.xlsx", "data.txt", "x" * 250 + ".csv", "名簿"]
)
kinds = st.sampled_from(["auto", "auto", "auto", "participants", "participants_multi", "sessions"])
# Whether the session is given (--session, the form's 対象の研修); one-session sheets need it.
with_session = st.sampled_from([True, True, False])
