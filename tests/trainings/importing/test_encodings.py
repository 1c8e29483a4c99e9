import pytest

from tests.trainings.conftest import data_file
from tests.trainings.importing.both_paths import via_admin, via_command
from trainings.importing.encodings import CP932, UTF8, UTF8_BOM, UTF16, EncodingError, decode_text, japanese_share
from trainings.importing.sheets import read_sheet
from trainings.models import Attendance


def test_halfwidth_kana_in_cp932_that_is_also_valid_utf8_is_read_as_cp932():
    data = data_file("halfwidth_kana_cp932.csv")
    data.decode("utf-8")  # the trap: these bytes are valid UTF-8 too
    text, encoding = decode_text(data)
    assert encoding == CP932
    assert "ﾅｶ ﾏｷ" in text and "ﾎｼ ﾕｷ" in text


@pytest.mark.parametrize("name", ["ﾅｶ", "ﾏｷ ﾅｶ", "ﾎｼ"])
def test_a_single_short_halfwidth_name_is_read_as_cp932(name):
    text, encoding = decode_text(f"name\r\n{name}\r\n".encode("cp932"))
    assert (text.splitlines()[1], encoding) == (name, CP932)


@pytest.mark.parametrize(
    ("text", "label"),
    [
        ("氏名,所属\r\n髙橋 一郎,中村地域ケアプラザ\r\n", UTF8),
        ("name,note\r\nTanaka,Café — 2 名\r\n", UTF8),
        ("name\r\nTanaka\r\n", UTF8),
    ],
)
def test_utf8_stays_utf8(text, label):
    assert decode_text(text.encode("utf-8")) == (text, label)


def test_boms_decide_the_encoding():
    text = "氏名\tふりがな\r\nﾅｶ ﾏｷ\tなか まき\r\n"
    assert decode_text(b"\xef\xbb\xbf" + text.encode("utf-8")) == (text, UTF8_BOM)
    assert decode_text(text.encode("utf-16")) == (text, UTF16)
    assert decode_text(b"\xfe\xff" + text.encode("utf-16-be")) == (text, UTF16)


def test_a_truncated_utf16_file_is_refused_in_japanese():
    with pytest.raises(EncodingError, match="UTF-16 のファイルが途中で切れているか壊れています"):
        decode_text(data_file("utf16_truncated.txt"))


def test_japanese_share_counts_kana_kanji_and_fullwidth_forms():
    assert japanese_share("ﾅｶ 髙橋 ①") == 1.0
    assert japanese_share("Ŷ Ϸ") == 0.0
    assert japanese_share("abc") == 1.0


def test_excel_unicode_text_is_read_tab_separated():
    sheet = read_sheet(data_file("participants_unicode_text.txt"), "名簿.txt")
    assert sheet.description == "CSV（UTF-16（BOM 付き））"
    assert sheet.headers == ["No.", "氏名", "ふりがな", "所属", "区", "役職", "備考"]
    assert "髙橋 一郎" in [cells[1] for _, cells in sheet.rows]


def test_comma_separated_utf16_is_read():
    sheet = read_sheet(data_file("utf16.csv"), "utf16.csv")
    assert sheet.encoding == UTF16 and sheet.headers[1] == "氏名"


@pytest.mark.parametrize("path", ["admin", "command"])
def test_halfwidth_kana_file_imports_its_names_as_written(client, clerk, import_records, path):
    seminar = import_records["seminar"]
    name, data = "名簿.csv", data_file("halfwidth_kana_cp932.csv")
    if path == "admin":
        client.force_login(clerk)
        outcome = via_admin(client, name, data, kind="participants", session=seminar)
    else:
        outcome = via_command(name, data, "--kind", "participants", "--session", str(seminar.pk))
    assert outcome.imported, outcome.text
    assert "CSV（CP932）" in outcome.text  # the encoding used is shown
    rows = Attendance.objects.filter(session=seminar).order_by("row_number")
    assert list(rows.values_list("name", "name_kana")) == [("ﾅｶ ﾏｷ", "ﾅｶ ﾏｷ"), ("ﾎｼ ﾕｷ", "")]


@pytest.mark.parametrize("path", ["admin", "command"])
def test_excel_unicode_text_imports_through_both_paths(client, clerk, import_records, path):
    seminar = import_records["seminar"]
    name, data = "名簿.txt", data_file("participants_unicode_text.txt")
    if path == "admin":
        client.force_login(clerk)
        outcome = via_admin(client, name, data, kind="participants", session=seminar)
    else:
        outcome = via_command(name, data, "--kind", "participants", "--session", str(seminar.pk))
    assert outcome.imported, outcome.text
    assert "UTF-16（BOM 付き）" in outcome.text
    assert Attendance.objects.filter(session=seminar, name="髙橋 一郎").exists()
