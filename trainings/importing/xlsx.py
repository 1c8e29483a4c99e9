"""Reading an XLSX worksheet row by row with what Excel shows about each row: hidden, struck through.

openpyxl's read-only worksheet streams the sheet's XML but drops the row attributes (hidden="1")
and gives values only; this runs the same parser (openpyxl.worksheet._reader.WorkSheetParser,
the one ReadOnlyWorksheet uses) and keeps both, still one row at a time.
"""

import datetime

HIDDEN = "hidden"
STRUCK = "struck"


def _value(value):
    if isinstance(value, datetime.datetime):
        return value.date() if value.time() == datetime.time() else value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def _struck_styles(workbook):
    """Return the set of style ids whose font is struck through."""
    fonts = workbook._fonts
    struck = set()
    for style_id, style in enumerate(workbook._cell_styles):
        font = fonts[style.fontId] if style.fontId < len(fonts) else None
        if font is not None and font.strike:
            struck.add(style_id)
    return struck


def worksheet_rows(worksheet):
    """Yield (row number, values, flag) for each row of a read-only worksheet that has cells.

    `flag` is HIDDEN for a hidden row, STRUCK when every filled cell is struck through, else ''.
    Dates are dates (datetimes when they hold a time), whole floats ints.
    """
    from openpyxl.worksheet._reader import WorkSheetParser

    workbook = worksheet.parent
    struck_styles = _struck_styles(workbook)
    with worksheet._get_source() as source:
        parser = WorkSheetParser(
            source,
            worksheet._shared_strings,
            data_only=True,
            epoch=workbook.epoch,
            date_formats=workbook._date_formats,
            timedelta_formats=workbook._timedelta_formats,
        )
        for number, cells in parser.parse():
            values, filled, struck = [], 0, 0
            for cell in cells:
                column = cell["column"]
                if column > len(values):
                    values.extend([None] * (column - len(values)))
                value = cell["value"]
                values[column - 1] = _value(value)
                if value is not None and value != "":
                    filled += 1
                    struck += cell.get("style_id", 0) in struck_styles
            attributes = parser.row_dimensions.get(str(number), {})
            flag = ""
            if attributes.get("hidden") in ("1", "true"):
                flag = HIDDEN
            elif filled and struck == filled:
                flag = STRUCK
            yield number, values, flag
