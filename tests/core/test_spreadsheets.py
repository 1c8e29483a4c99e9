import csv
import io

import pytest

from core.spreadsheets import csv_bytes, escape_formula


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("=1+1", "'=1+1"),
        ("+81-45", "'+81-45"),
        ("-5", "'-5"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tx", "'\tx"),
        ("中村地域ケアプラザ", "中村地域ケアプラザ"),
        ("a=b", "a=b"),
        (-5, -5),
        (None, None),
    ],
)
def test_escape_formula_prefixes_only_risky_text(value, expected):
    assert escape_formula(value) == expected


def test_csv_bytes_is_utf8_with_bom_and_crlf():
    data = csv_bytes(["区", "人数"], [["南区", 12], ["瀬谷区", 3]])
    assert data.startswith(b"\xef\xbb\xbf")
    assert b"\r\n" in data
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert rows == [["区", "人数"], ["南区", "12"], ["瀬谷区", "3"]]


def test_csv_bytes_escapes_every_text_cell_and_keeps_numbers():
    data = csv_bytes(["=見出し", "人数"], [["=HYPERLINK(1)", -2], ["@x", 3], ["'=already", "\rx"]])
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))
    assert rows == [["'=見出し", "人数"], ["'=HYPERLINK(1)", "-2"], ["'@x", "3"], ["'=already", "'\rx"]]
