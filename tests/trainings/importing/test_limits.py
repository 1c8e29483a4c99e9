"""Hostile and heavy sheets: refused before parsing, in Japanese, naming the limit, nothing written, memory bounded."""

import functools
import io
import random
import re
import time
import tracemalloc
import zipfile
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse
from openpyxl import Workbook

from tests.trainings.db_state import database_state
from trainings.importing.limits import check_upload
from trainings.importing.sheets import SheetError, read_sheet
from trainings.models import PendingUpload

IMPORT_URL = "admin:trainings_attendancesheet_import"
# Far below the gigabytes these files took before (README, issue 13); the files are a few MB at most.
MEMORY_CEILING = 64 * 1024 * 1024
CPU_SECONDS_CEILING = 10


def xlsx_bytes(worksheet_xml=None, repeat=1, **cells):
    """Return an XLSX written by openpyxl with `cells` (e.g. A1="氏名").

    With `worksheet_xml` (a tuple of head, body, tail bytes) its sheet XML is replaced by head +
    body × repeat + tail, written to the zip piece by piece (a zip bomb is built without holding it).
    """
    workbook = Workbook()
    sheet = workbook.active
    for ref, value in cells.items():
        sheet[ref] = value
    buffer = io.BytesIO()
    workbook.save(buffer)
    if worksheet_xml is None:
        return buffer.getvalue()
    source = zipfile.ZipFile(io.BytesIO(buffer.getvalue()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            if info.filename != "xl/worksheets/sheet1.xml":
                target.writestr(info.filename, source.read(info))
                continue
            head, body, tail = worksheet_xml
            part_info = zipfile.ZipInfo(info.filename)
            part_info.compress_type = zipfile.ZIP_DEFLATED
            with target.open(part_info, "w", force_zip64=True) as part:
                part.write(head)
                per_block = max(1, (1 << 20) // len(body))
                for _ in range(repeat // per_block):
                    part.write(body * per_block)
                part.write(body * (repeat % per_block))
                part.write(tail)
    return out.getvalue()


def sheet_xml(rows_xml, dimension="A1:C3"):
    """Return (head, body, tail) of a worksheet part with the <row> elements `rows_xml` as body."""
    head = (
        b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        + (f'<dimension ref="{dimension}"/>'.encode() if dimension else b"")
        + b"<sheetData>"
    )
    return head, rows_xml, b"</sheetData></worksheet>"


HEADER = '"氏名","ふりがな","所属"\r\n'


@functools.cache
def hostile_files():
    """Return {label: (file name, bytes, words the message must contain)}, each small on disk."""
    commas = "," * 1_000_000
    bomb_row = b'<row r="2"><c r="A2" t="inlineStr"><is><t>' + "山田 太郎".encode() + b"</t></is></c></row>"
    return {
        "comma header": ("名簿.csv", f"氏名{commas}\r\n山田 太郎\r\n".encode("cp932"), ["列が多すぎます", "50列まで"]),
        "comma row": ("名簿.csv", (HEADER + f"山田 太郎{commas}\r\n").encode("cp932"), ["列が多すぎます", "2行目"]),
        "tab row": ("名簿.csv", ("氏名\tふりがな\r\n" + "\t" * 1_000_000 + "\r\n").encode(), ["列が多すぎます"]),
        "big cell": ("名簿.csv", (HEADER + '"' + "あ" * 200_000 + '",,\r\n').encode("utf-8"), ["10,000文字まで"]),
        "big unquoted cell": ("名簿.csv", (HEADER + "x" * 200_000 + "\r\n").encode("cp932"), ["10,000文字まで"]),
        "xlsx far cell": ("名簿.xlsx", xlsx_bytes(A1="氏名", A2="山田 太郎", XFD1048576=1), ["列が多すぎます"]),
        "xlsx far row": (
            "名簿.xlsx",
            xlsx_bytes(sheet_xml(b'<row r="1048576"><c r="A1048576"><v>1</v></c></row>', dimension=None)),
            ["行が多すぎます", "1,000,000行まで"],
        ),
        "xlsx lying dimension": (
            "名簿.xlsx",
            xlsx_bytes(sheet_xml(b'<row r="2"><c r="ZZ2"><v>1</v></c></row>', dimension="A1:A2")),
            ["列が多すぎます"],
        ),
        "xlsx refless wide row": (
            "名簿.xlsx",
            xlsx_bytes(sheet_xml(b'<row r="1">' + b"<c><v>1</v></c>" * 100_000 + b"</row>", dimension=None)),
            ["列が多すぎます"],
        ),
        "xlsx reference after style": (
            "名簿.xlsx",
            xlsx_bytes(sheet_xml(b'<row r="2"><c s="0" r="ZZ2"><v>1</v></c></row>', dimension=None)),
            ["列が多すぎます"],
        ),
        "xlsx big cell": ("名簿.xlsx", xlsx_bytes(A1="氏名", A2="あ" * 200_000), ["10,000文字まで"]),
        # 420 MB of sheet XML: compresses to well under a megabyte.
        "zip bomb": (
            "名簿.xlsx",
            xlsx_bytes(sheet_xml(bomb_row), repeat=420 * 1024 * 1024 // len(bomb_row)),
            ["展開すると", "まで", "IMPORT_MAX_XLSX_UNCOMPRESSED_MB"],
        ),
    }


LABELS = [
    "comma header",
    "comma row",
    "tab row",
    "big cell",
    "big unquoted cell",
    "xlsx far cell",
    "xlsx far row",
    "xlsx lying dimension",
    "xlsx refless wide row",
    "xlsx reference after style",
    "xlsx big cell",
    "zip bomb",
]


def within_bounds(action):
    """Run action(); return (its result, peak traced bytes, CPU seconds of this process).

    CPU time, not the clock: a measure of the work done (a zip bomb's minutes of inflating), which
    other programs on a shared machine do not move; how fast it is belongs in bench/.
    """
    tracemalloc.start()
    started = time.process_time()
    try:
        result = action()
    finally:
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
    return result, peak, time.process_time() - started


@pytest.mark.parametrize("label", LABELS)
def test_hostile_file_is_refused_by_the_reader_with_bounded_memory(label):
    name, data, words = hostile_files()[label]
    assert len(data) < 2_200_000  # small on disk

    def read():
        with pytest.raises(SheetError) as refused:
            read_sheet(data, name)
        return str(refused.value)

    message, peak, seconds = within_bounds(read)
    for word in words:
        assert word in message
    assert "IMPORT_MAX_" in message and ("分け" in message or "削除" in message or "短く" in message)
    assert not re.search(r"[A-Za-z]{2,}", re.sub(r"IMPORT_MAX_\w+|XLSX|CSV|Excel|[KMG]?B\b", "", message))
    assert peak < MEMORY_CEILING + len(data), f"{label}: {peak / 1e6:.0f} MB"
    assert seconds < CPU_SECONDS_CEILING


@pytest.mark.parametrize("label", LABELS)
def test_hostile_file_is_refused_by_the_command(import_records, tmp_path, label):
    name, data, words = hostile_files()[label]
    path = tmp_path / name
    path.write_bytes(data)
    before = database_state()

    def run():
        with pytest.raises(CommandError) as refused:
            call_command("import_attendance", str(path), "--kind", "participants_multi", stdout=StringIO())
        return str(refused.value)

    message, peak, seconds = within_bounds(run)
    assert all(word in message for word in words)
    assert peak < MEMORY_CEILING + len(data)
    assert seconds < CPU_SECONDS_CEILING
    assert database_state() == before


@pytest.mark.parametrize("label", ["comma header", "comma row", "big cell", "xlsx far cell", "zip bomb"])
def test_hostile_file_is_refused_by_the_admin_upload(client, clerk, import_records, label):
    name, data, words = hostile_files()[label]
    client.force_login(clerk)
    before = database_state()

    def upload():
        return client.post(
            reverse(IMPORT_URL),
            {
                "kind": "participants",
                "session": import_records["seminar"].pk,
                "import_file": SimpleUploadedFile(name, data),
            },
        )

    response, peak, seconds = within_bounds(upload)
    assert response.status_code == 200
    page = response.content.decode()
    assert all(word in page for word in words)
    assert "confirm_form" not in response.context
    assert peak < MEMORY_CEILING + 3 * len(data)
    assert seconds < CPU_SECONDS_CEILING
    assert database_state() == before and not PendingUpload.objects.exists()


def test_row_limit_is_a_setting(settings):
    settings.IMPORT_MAX_ROWS = 100
    rows = "".join(f"受講者 {n}\r\n" for n in range(101))
    with pytest.raises(SheetError, match="100行まで"):
        read_sheet(("氏名\r\n" + rows).encode("cp932"), "名簿.csv")
    assert read_sheet(("氏名\r\n" + rows[: rows.index("受講者 100")]).encode("cp932"), "名簿.csv")


def test_column_and_cell_limits_are_settings(settings):
    settings.IMPORT_MAX_COLUMNS = 5
    settings.IMPORT_MAX_CELL_CHARS = 10
    with pytest.raises(SheetError, match="5列まで"):
        read_sheet("氏名,a,b,c,d,e\r\n".encode("cp932"), "名簿.csv")
    with pytest.raises(SheetError, match="10文字まで"):
        read_sheet("氏名\r\n山田あいうえおかきくけこ\r\n".encode("cp932"), "名簿.csv")
    assert read_sheet("氏名,a,b,c,d\r\n山田あいうえおかきく\r\n".encode("cp932"), "名簿.csv")


def test_uncompressed_limit_is_a_setting(settings):
    data = xlsx_bytes(A1="氏名", A2="山田 太郎")
    read_sheet(data, "名簿.xlsx")
    settings.IMPORT_MAX_XLSX_UNCOMPRESSED_BYTES = 1024
    with pytest.raises(SheetError, match="展開後 1.0"):
        read_sheet(data, "名簿.xlsx")


def test_too_many_zip_parts_are_refused(settings):
    settings.IMPORT_MAX_XLSX_PARTS = 5
    with pytest.raises(SheetError, match="5個を超えます"):
        read_sheet(xlsx_bytes(A1="氏名"), "名簿.xlsx")


def realistic_rows(n, seed=13):
    """Yield n rows of a multi-session sign-in sheet as staff type them (furigana, roles, notes, 和暦)."""
    rng = random.Random(seed)
    surnames = ["佐藤", "鈴木", "髙橋", "田中", "伊藤", "渡邊", "山本", "中村", "小林", "齋藤"]
    kana = ["さとう", "すずき", "たかはし", "たなか", "いとう", "わたなべ", "やまもと", "なかむら", "こばやし"]
    kana.append("さいとう")
    for i in range(n):
        s = rng.randrange(10)
        date = f"令和元年{5 + i % 6}月{1 + i % 28}日" if i % 2 else f"2019/{5 + i % 6}/{1 + i % 28}"
        yield [
            date,
            f"地域まちづくり研修 第{i % 100 + 1}回",
            str(i + 1),
            f"{surnames[s]} 花子{i % 1000}",
            f"{kana[s]} はなこ",
            rng.choice(["中村地域ケアプラザ", "南区社会福祉協議会", f"未登録の自治会{i % 300}"]),
            rng.choice(["南区", "保土ケ谷", "港北区"]),
            rng.choice(["", "会長", "副会長", "委員"]),
            rng.choice(["", "", "途中退席", "オンライン参加（後日資料送付）"]),
        ]


@pytest.mark.parametrize("encoding", ["cp932", "utf-8"])
def test_a_200000_row_sheet_fits_the_default_limits(encoding):
    header = "開催日,研修名,No.,氏名,ふりがな,所属,区,役職,備考\r\n"
    data = (header + "".join(",".join(row) + "\r\n" for row in realistic_rows(200_000))).encode(encoding)
    assert len(data) < django_settings.IMPORT_MAX_UPLOAD_BYTES
    check_upload(data)  # accepted: no limit refuses it (timings belong in bench/, not in tests)


def test_every_limit_is_documented():
    readme = (Path(__file__).resolve().parents[3] / "README.md").read_text(encoding="utf-8")
    for name in [
        "IMPORT_MAX_UPLOAD_MB",
        "IMPORT_MAX_ROWS",
        "IMPORT_MAX_SESSION_ROWS",
        "IMPORT_MAX_COLUMNS",
        "IMPORT_MAX_CELL_CHARS",
        "IMPORT_MAX_XLSX_UNCOMPRESSED_MB",
        "IMPORT_MAX_XLSX_PARTS",
    ]:
        assert f"| `{name}` |" in readme
