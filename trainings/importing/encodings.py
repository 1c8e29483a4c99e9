"""Telling the encoding of a text sheet: UTF-8 (BOM or not), CP932 (Shift_JIS) or UTF-16 with a BOM.

Excel saves 「CSV」 in CP932, 「CSV UTF-8」 with a BOM, and 「Unicode テキスト」 in UTF-16 with a BOM
(tab-separated). Without a BOM the same bytes can be valid UTF-8 and valid CP932 at once — a
CP932 sheet of ASCII headers and half-width katakana names (ﾅｶ ﾏｷ = C5 B6 20 CF B7) reads as
UTF-8 「Ŷ Ϸ」 — so both readings are tried and the one that is Japanese text is chosen. A general
detector (charset-normalizer) answers UTF-8 for such a file of two lines, hence this small,
specific rule: only these two encodings are candidates, and the reading whose non-ASCII
characters are Japanese (kana, kanji, Japanese punctuation, full-width forms) wins.

detect_encoding() makes the same choice as decode_text() from the file's blocks, one at a time
(both readings decoded incrementally, their Japanese share counted as they go), and
decoded_blocks() then decodes the blocks in the chosen encoding: a sheet of any size is read
without its whole text in memory.
"""

import codecs
import re

ACCEPTED = (
    "UTF-8（BOM 付き・なし）または Shift_JIS（CP932）の CSV、Excel の「Unicode テキスト」（UTF-16）、"
    "または Excel の XLSX ファイル"
)

UTF8 = "UTF-8"
UTF8_BOM = "UTF-8（BOM 付き）"
CP932 = "CP932"
UTF16 = "UTF-16（BOM 付き）"
# A UTF-8 reading whose non-ASCII characters are at least this Japanese is kept as UTF-8.
_CLEARLY_JAPANESE = 0.8


class EncodingError(ValueError):
    """The bytes are not text in any accepted encoding; str(error) is the Japanese message."""


def _is_japanese(ch):
    code = ord(ch)
    return (
        0x3000 <= code <= 0x30FF  # Japanese punctuation, hiragana, katakana
        or 0x31F0 <= code <= 0x31FF  # katakana phonetic extensions
        or 0x3400 <= code <= 0x4DBF  # CJK extension A
        or 0x4E00 <= code <= 0x9FFF  # CJK unified ideographs
        or 0xF900 <= code <= 0xFAFF  # CJK compatibility ideographs (髙 is not here, but 﨑 is)
        or 0xFF01 <= code <= 0xFF9F  # full-width forms and half-width katakana
        or 0x2460 <= code <= 0x24FF  # circled numbers (①)
        or 0x2160 <= code <= 0x217F  # Roman numerals (Ⅰ)
        or 0x20000 <= code <= 0x2FFFF  # CJK extensions B… (𠮷)
        or ch in "※〒℡№㈱㈲～―‐・"
    )


def japanese_share(text):
    """Return the share (0…1) of the non-ASCII characters of `text` that are Japanese; 1.0 without any."""
    non_ascii = [ch for ch in text if ord(ch) > 0x7F]
    if not non_ascii:
        return 1.0
    return sum(1 for ch in non_ascii if _is_japanese(ch)) / len(non_ascii)


def _broken_utf8(data, error):
    return _broken_utf8_at(data[: error.start].count(b"\n") + 1)


def _strict(data, encoding):
    try:
        return data.decode(encoding)
    except UnicodeDecodeError:
        return None


def decode_text(data):
    """Return (text, encoding label) of the bytes of a text sheet; raise EncodingError when they are not text.

    BOMs decide (UTF-8, UTF-16 LE/BE). Otherwise strict UTF-8 and strict CP932 are both tried: when
    both read, the more Japanese reading wins (UTF-8 on a tie); a file that is UTF-8 with Japanese
    text up to a broken character is refused rather than read as CP932 mojibake.
    """
    if data.startswith(b"\xef\xbb\xbf"):
        try:
            return data[3:].decode("utf-8"), UTF8_BOM
        except UnicodeDecodeError as error:
            raise _broken_utf8(data[3:], error) from None
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16"), UTF16
        except UnicodeDecodeError:
            raise EncodingError(
                f"UTF-16 のファイルが途中で切れているか壊れています。{ACCEPTED}で保存し直してください。"
            ) from None
    as_utf8 = _strict(data, "utf-8")
    as_cp932 = _strict(data, "cp932")
    if as_utf8 is not None and as_cp932 is not None:
        # Japanese UTF-8 with a few other signs (é, —) stays UTF-8; half-width kana in CP932 read
        # as UTF-8 give Latin, Greek, Cyrillic… letters only (share 0), and lose to CP932.
        utf8_share = japanese_share(as_utf8)
        if utf8_share < _CLEARLY_JAPANESE and japanese_share(as_cp932) > utf8_share:
            return as_cp932, CP932
        return as_utf8, UTF8
    if as_utf8 is not None:
        return as_utf8, UTF8
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as error:
        utf8_error = error
    prefix = data[: utf8_error.start].decode("utf-8")
    japanese_prefix = sum(1 for ch in prefix if ord(ch) > 0x7F and _is_japanese(ch))
    if as_cp932 is not None and japanese_prefix < 3:
        return as_cp932, CP932
    if japanese_prefix >= 3 or utf8_error.reason == "unexpected end of data":
        # Plenty of valid Japanese UTF-8 before the fault: a damaged UTF-8 file, not CP932.
        raise _broken_utf8(data, utf8_error)
    raise EncodingError(f"文字コードを判別できません。{ACCEPTED}を選んでください。")


# The characters _is_japanese() accepts, as one class: counted at C speed in large files.
_JAPANESE = re.compile(
    "[\u3000-\u30ff\u31f0-\u31ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff01-\uff9f"
    "\u2460-\u24ff\u2160-\u217f\U00020000-\U0002ffff※〒℡№㈱㈲～―‐・]"
)
_NON_ASCII = re.compile("[^\x00-\x7f]")
# Control characters never found in a text CSV saved from Excel: their presence means binary data.
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_CODECS = {UTF8: "utf-8", UTF8_BOM: "utf-8", CP932: "cp932", UTF16: "utf-16"}


def _count(pattern, text):
    """Return how many characters of `text` the one-character `pattern` matches.

    Not len(findall()): that list holds one str object per match, 30 MB for a megabyte of Japanese text.
    """
    return len(text) - len(pattern.sub("", text))


class _Reading:
    """One candidate reading of a stream of blocks: decoded incrementally, its Japanese share counted."""

    def __init__(self, codec):
        self.decoder = codecs.getincrementaldecoder(codec)("strict")
        self.error = None  # the UnicodeDecodeError, with the reading's position of the fault
        self.non_ascii = self.japanese = 0
        self.lines_before = 0  # line breaks in the bytes before the current block
        self.japanese_prefix = 0  # Japanese characters before the fault
        self.control = False  # whether the text holds a control character (binary data)
        self.control = False  # whether the text holds a control character (binary data)

    def feed(self, block, final=False, *, count=True):
        """Decode the next block; `count` the Japanese share (needed only while both readings hold)."""
        if self.error is not None:
            return
        try:
            text = self.decoder.decode(block, final)
        except UnicodeDecodeError as error:
            pending, _ = self.decoder.getstate()
            # The fault's offset is counted in the undecoded bytes carried over plus this block.
            good = (pending + block)[: error.start]
            self.error = error
            self.error_line = self.lines_before + good.count(b"\n") + 1
            if self.japanese_prefix < 3:
                self.japanese_prefix += _count(_JAPANESE, good.decode("utf-8", "ignore"))
            return
        self.lines_before += block.count(b"\n")
        if not self.control and _CONTROL.search(text):
            self.control = True
        if count and _NON_ASCII.search(text):
            self.non_ascii += _count(_NON_ASCII, text)
            found = _count(_JAPANESE, text)
            self.japanese += found
            self.japanese_prefix += found
        elif self.japanese_prefix < 3 and _NON_ASCII.search(text):
            self.japanese_prefix += _count(_JAPANESE, text)

    @property
    def share(self):
        return self.japanese / self.non_ascii if self.non_ascii else 1.0


def detect_encoding(blocks):
    """Return the encoding label of a text sheet given as byte blocks; raise EncodingError as decode_text() does.

    The same choice as decode_text(data) for the blocks joined, holding one block at a time.
    """
    return scan_text(blocks)[0]


def scan_text(blocks):
    """Return (encoding label, whether the text holds control characters) of a text sheet's byte blocks.

    Raises EncodingError as decode_text() does; one pass, one block in memory at a time.
    """
    blocks = iter(blocks)
    first = b""
    for block in blocks:
        first += block
        if len(first) >= 3:
            break
    if first.startswith(b"\xef\xbb\xbf"):
        reading = _Reading("utf-8")
        for block in _chain(first[3:], blocks):
            reading.feed(block)
        reading.feed(b"", final=True)
        if reading.error is not None:
            raise _broken_utf8_at(reading.error_line)
        return UTF8_BOM, reading.control
    if first.startswith((b"\xff\xfe", b"\xfe\xff")):
        reading = _Reading("utf-16")
        for block in _chain(first, blocks):
            reading.feed(block)
        reading.feed(b"", final=True)
        if reading.error is not None:
            raise EncodingError(
                f"UTF-16 のファイルが途中で切れているか壊れています。{ACCEPTED}で保存し直してください。"
            )
        return UTF16, reading.control
    utf8, cp932 = _Reading("utf-8"), _Reading("cp932")
    for block in _chain(first, blocks):
        both = utf8.error is None and cp932.error is None
        utf8.feed(block, count=both)
        cp932.feed(block, count=both)
        if utf8.error is not None and cp932.error is not None:
            break
    both = utf8.error is None and cp932.error is None
    utf8.feed(b"", final=True, count=both)
    cp932.feed(b"", final=True, count=both)
    if utf8.error is None and cp932.error is None:
        if utf8.share < _CLEARLY_JAPANESE and cp932.share > utf8.share:
            return CP932, cp932.control
        return UTF8, utf8.control
    if utf8.error is None:
        return UTF8, utf8.control
    if cp932.error is None and utf8.japanese_prefix < 3:
        return CP932, cp932.control
    if utf8.japanese_prefix >= 3 or utf8.error.reason == "unexpected end of data":
        raise _broken_utf8_at(utf8.error_line)
    raise EncodingError(f"文字コードを判別できません。{ACCEPTED}を選んでください。")


def _chain(first, blocks):
    if first:
        yield first
    yield from blocks


def _broken_utf8_at(line):
    return EncodingError(
        f"UTF-8 のファイルの {line} 行目に壊れた文字があります（途中で切れているか、"
        f"別の文字コードが混ざっています）。{ACCEPTED}で保存し直してください。"
    )


def decoded_blocks(blocks, label):
    """Yield the text of byte blocks decoded in the encoding `label` chose (detect_encoding), BOM left out."""
    decoder = codecs.getincrementaldecoder(_CODECS[label])("strict")
    skip_bom = label == UTF8_BOM
    for block in blocks:
        text = decoder.decode(block)
        if skip_bom and text:
            text, skip_bom = text.removeprefix("\ufeff"), False
        if text:
            yield text
    text = decoder.decode(b"", True)
    if text:
        yield text
