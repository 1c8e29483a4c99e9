"""CSV files for Excel, and cell values that a spreadsheet will not run as formulas.

Every CSV the portal serves is built here (dashboard tables, open data, the import's error
file): UTF-8 with a BOM (so that Excel on Japanese Windows reads it as UTF-8, not Shift_JIS),
CRLF line ends, and no text cell that Excel would run as a formula (CSV injection: a title
`=HYPERLINK(…)` must stay text).
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
    """Return the header and rows as CSV bytes: UTF-8 with BOM, CRLF line ends.

    Text cells go through escape_formula (escaping twice changes nothing); numbers are written as
    they are, so -2 stays a number.
    """
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([escape_formula(cell) for cell in header])
    writer.writerows([escape_formula(cell) for cell in row] for row in rows)
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")
