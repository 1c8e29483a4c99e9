from types import SimpleNamespace

from core.admin.display import count_column


def test_count_column_writes_thousands_separators_and_leaves_unknown_empty():
    column = count_column("row_count", "行数")
    assert column(None, SimpleNamespace(row_count=12000)) == "12,000"
    assert column(None, SimpleNamespace(row_count=0)) == "0"
    assert column(None, SimpleNamespace(row_count=None)) is None  # unknown is not zero
    assert column.short_description == "行数" and column.admin_order_field == "row_count"
    assert column.empty_value_display == ""
