import csv
import io

import pytest
from openpyxl import load_workbook

from portal.dashboard import exports
from portal.dashboard import presentation as selectors  # the dashboard's data, as the tests name it
from portal.dashboard.exports import Table, safe_cell, to_csv, to_xlsx


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ('=HYPERLINK("http://x")', '\'=HYPERLINK("http://x")'),
        ("+1", "'+1"),
        ("-1+2", "'-1+2"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tx", "'\tx"),
        ("南区", "南区"),
        (-20, -20),
        (None, ""),
        (True, "はい"),
    ],
)
def test_safe_cell_escapes_formulas_only(value, expected):
    assert safe_cell(value) == expected


def test_csv_is_utf8_with_bom_and_escaped():
    table = Table("t", "表", ["区分", "回数"], [["=1+1", 3], ["ア 研修", -2]])
    data = to_csv(table)
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert rows == [["区分", "回数"], ["'=1+1", "3"], ["ア 研修", "-2"]]


def test_xlsx_keeps_numbers_and_never_writes_a_formula():
    table = Table("t", "表", ["区分", "回数"], [["=1+1", 3]])
    sheet = load_workbook(io.BytesIO(to_xlsx(table))).active
    assert [[c.value for c in row] for row in sheet.iter_rows()] == [["表", None], ["区分", "回数"], ["'=1+1", 3]]
    assert sheet["A3"].data_type == "s"


def test_every_table_builds_from_the_demo_dashboard(demo_data):
    data = selectors.fiscal_year_dashboard(fiscal_year=2018)
    for name in exports.TABLES:
        table = exports.build_table(name, data)
        assert table.rows, name
        assert all(len(row) == len(table.headers) for row in table.rows), name
    categories = exports.build_table("categories", data)
    assert categories.rows[0][:3] == ["ア 地域まちづくり課主催研修", 2, 130]
    total = exports.build_table("reconciliation", data).rows[-2]
    assert total[:3] == ["合計", 48, 48] and total[5] == 1820 and total[7] == 1800 and total[-1] == "概数で一致"


def test_a_bureau_name_starting_with_a_formula_character_is_escaped_in_the_export(small_year):
    from partners.models import Collaboration

    Collaboration.objects.filter(fiscal_year=2018).update(description="=cmd|' /C calc'!A0")
    table = exports.build_table("collaborations", selectors.fiscal_year_dashboard(fiscal_year=2018))
    assert b"'=cmd" in to_csv(table)
