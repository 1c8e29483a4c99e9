"""Telling the encoding of a text sheet: UTF-8 (BOM or not), CP932 (Shift_JIS) or UTF-16 with a BOM.

Excel saves 「CSV」 in CP932, 「CSV UTF-8」 with a BOM, and 「Unicode テキスト」 in UTF-16 with a BOM
(tab-separated). Without a BOM the same bytes can be valid UTF-8 and valid CP932 at once — a
CP932 sheet of ASCII headers and half-width katakana names (ﾅｶ ﾏｷ = C5 B6 20 CF B7) reads as
UTF-8 「Ŷ Ϸ」 — so both readings are tried and the one that is Japanese text is chosen. A general
detector (charset-normalizer) answers UTF-8 for such a file of two lines, hence this small,
specific rule: only these two encodings are candidates, and the reading whose non-ASCII
characters are Japanese (kana, kanji, Japanese punctuation, full-width forms) wins.
"""

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
    line = data[: error.start].count(b"\n") + 1
    return EncodingError(
        f"UTF-8 のファイルの {line} 行目に壊れた文字があります（途中で切れているか、"
        f"別の文字コードが混ざっています）。{ACCEPTED}で保存し直してください。"
    )


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
