"""CSV files for Excel, and cell values that a spreadsheet will not run as formulas.

Every CSV the portal serves is built here: UTF-8 with a BOM (so that Excel on Japanese
Windows reads it as UTF-8, not Shift_JIS) and CRLF line ends.
"""

import csv
import io

# A cell starting with one of these is read by Excel as a formula (CSV/formula injection).
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def escape_formula(value):
    """Return `value` made safe for a spreadsheet: text starting with a formula character gets a leading '."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def csv_bytes(header, rows):
    """Return the header and rows as CSV bytes: UTF-8 with BOM, CRLF line ends. Cells are written as given."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(rows)
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")
