"""The committee report as an editable Word file (python-docx): the printable page's sections and tables.

Headings use Word's own heading styles (見出し 1–3 in a Japanese Word), lists are plain paragraphs,
tables use the built-in 「Table Grid」, so that a division can edit, restyle and hand it over.
"""

import copy
import io

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from portal.dashboard import report_text

BODY_FONT = "游明朝"
HEADING_FONT = "游ゴシック"


def _set_font(style, name, size=None):
    """Give `style` the font `name` for Latin and East Asian text (Word reads the latter from rFonts)."""
    style.font.name = name
    fonts = style.element.get_or_add_rPr().get_or_add_rFonts()
    fonts.set(qn("w:eastAsia"), name)
    if size is not None:
        style.font.size = Pt(size)


def _new_document():
    """Return an empty A4 portrait document with Japanese fonts and the page margins of the print."""
    document = Document()
    section = document.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin = section.left_margin = section.right_margin = Mm(15)
    section.bottom_margin = Mm(18)
    _set_font(document.styles["Normal"], BODY_FONT, 10.5)
    for name, size in [("Title", 15), ("Heading 1", 12), ("Heading 2", 11), ("Heading 3", 10.5)]:
        _set_font(document.styles[name], HEADING_FONT, size)
    document.core_properties.title = report_text.TITLE
    document.core_properties.author = report_text.AUTHOR
    document.core_properties.language = "ja-JP"
    return document


def _small(paragraph, size=9):
    for run in paragraph.runs:
        run.font.size = Pt(size)
    return paragraph


def _bullets(document, lines, *, size=None):
    """Add one 「List Bullet」 paragraph a line: the first made by python-docx, the rest copies of it.

    python-docx's add_paragraph looks the style up and finds the end of the body again for every
    paragraph: a city-size year's 2,000 sessions took 13 s that way, a fraction of a second like this.
    """
    if not lines:
        return
    first = document.add_paragraph(style="List Bullet")
    run = first.add_run(lines[0])
    if size is not None:
        run.font.size = Pt(size)
    anchor = first._p
    for line in lines[1:]:
        paragraph = copy.deepcopy(first._p)
        text = paragraph.find(qn("w:r")).find(qn("w:t"))
        text.text = line
        text.set(qn("xml:space"), "preserve")  # keep leading and trailing spaces as written
        anchor.addnext(paragraph)
        anchor = paragraph


def _table(document, headers, rows, widths_mm):
    """Add a grid table with a bold header row that repeats on each page; return it."""
    table = document.add_table(rows=1, cols=len(headers))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    header = table.rows[0]
    header_properties = header._tr.get_or_add_trPr()
    repeat = header_properties.makeelement(qn("w:tblHeader"), {qn("w:val"): "true"})
    header_properties.append(repeat)
    for cell, text in zip(header.cells, headers, strict=True):
        cell.text = ""
        cell.paragraphs[0].add_run(text).bold = True
    for values in rows:
        cells = table.add_row().cells
        for cell, value in zip(cells, values, strict=True):
            cell.text = str(value)
    for row in table.rows:
        for cell, width in zip(row.cells, widths_mm, strict=True):
            cell.width = Mm(width)
            for paragraph in cell.paragraphs:
                _small(paragraph, 9.5)
    return table


def _outcomes(document, report):
    document.add_heading(report_text.OUTCOMES_HEADING, level=1)
    if not report.achievements:
        document.add_paragraph(report_text.no_achievements_message(report))
    for item in report.achievements:
        paragraph = document.add_paragraph(f"{item.code}　{item.text}")
        paragraph.paragraph_format.left_indent = Mm(5)
        paragraph.paragraph_format.first_line_indent = Mm(-5)


def _plan(document, report):
    document.add_heading(report_text.plan_heading(report), level=1)
    if not report.plan_rows:
        document.add_paragraph("計画項目は登録されていません。")
        return
    rows = [report_text.plan_cells(row) for row in report.plan_rows]
    _table(document, report_text.plan_headers(report), rows, [40, 90, 25, 25])
    for line in report_text.plan_note_lines(report):
        _small(document.add_paragraph(line))


def _cases(document, report):
    for case in report.cases:
        document.add_heading(report_text.case_heading(case), level=1)
        document.add_paragraph().add_run(report_text.case_title_line(case)).bold = True
        document.add_paragraph(case.summary)
        _bullets(document, [report_text.timeline_line(event) for event in case.timeline])
        if not case.timeline:
            document.add_paragraph("経過は記録されていません。")


def _collaborations_and_trainings(document, report):
    heading = document.add_heading(report_text.part_heading(report), level=1)
    heading.alignment = WD_ALIGN_PARAGRAPH.CENTER
    heading.paragraph_format.page_break_before = True
    document.add_heading(report_text.COLLABORATIONS_HEADING, level=2)
    if report.collaborations:
        rows = [[c.bureau.name, c.description] for c in report.collaborations]
        _table(document, ["局", "連携内容"], rows, [35, 145])
    else:
        document.add_paragraph("局間連携は登録されていません。")
    document.add_heading(report_text.trainings_heading(report), level=2)
    for heading_text, sessions in report_text.itemised_categories(report):
        document.add_heading(heading_text, level=3)
        _bullets(document, [report_text.session_line(session) for session in sessions], size=9.5)
    for note in report_text.unitemised_notes(report):
        _small(document.add_paragraph(note))


def build(report, *, rounding_rule, today):
    """Return the .docx bytes of `report` (a CommitteeReport with data), made on `today`."""
    document = _new_document()
    _small(document.add_paragraph(report_text.report_meta(report))).alignment = WD_ALIGN_PARAGRAPH.RIGHT
    document.add_heading(report_text.TITLE, level=0).alignment = WD_ALIGN_PARAGRAPH.CENTER
    _small(document.add_paragraph(report_text.author_line(today))).alignment = WD_ALIGN_PARAGRAPH.RIGHT
    _outcomes(document, report)
    _plan(document, report)
    _cases(document, report)
    _collaborations_and_trainings(document, report)
    document.add_heading(report_text.NOTES_HEADING, level=1)
    _bullets(document, report_text.closing_notes(report, rounding_rule), size=9)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
