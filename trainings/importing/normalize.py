"""Normalising values typed into Excel sheets for the import: wards, headcounts and times.

NFKC folding (core.text) is applied to numbers, codes and ward names only. Personal names are
never folded: 髙 stays 髙 and ① stays ①. Dates are read by core.dates.
"""

import datetime
import functools
import re

from core.text import compact_key, nfkc

# Far above any real session (the whole program has about 1,800 participants a year) and within
# every database's integer column: a larger figure is a typing error, not a headcount.
MAX_COUNT = 1_000_000


def _shown(text, limit=20):
    return text if len(text) <= limit else text[:limit] + "…"


# Written for "not known": stored empty (never 0), as a blank cell is.
UNKNOWN_WORDS = frozenset({"-", "ー", "―", "‐", "—", "－", "?", "不明", "未集計", "集計中", "不詳", "未定", "なし?"})
_DASHES = "-ー―‐—－"
_APPROXIMATE = ("約", "およそ", "概ね", "おおよそ")
_APPROXIMATE_AFTER = ("程度", "ほど", "余り", "前後", "くらい", "位")


def read_count(value):
    """Return (number or None, approximate) from a headcount cell; ValueError with a Japanese reason.

    '25', '２５', '1,234', '１，２３４', '25人', '30名' give the number; '', '―', '-', '不明',
    '未集計' give None (not known: stored empty, never 0); '約30', '30人程度' give (30, True).
    """
    if isinstance(value, str):
        text = compact_key(value)
        if text in UNKNOWN_WORDS or (text and not text.strip(_DASHES)):
            return None, False
        approximate = False
        for word in _APPROXIMATE:
            if text.startswith(word):
                text, approximate = text.removeprefix(word), True
        for unit in ("人", "名"):
            text = text.removesuffix(unit)
        for word in _APPROXIMATE_AFTER:
            if text.endswith(word):
                text, approximate = text.removesuffix(word), True
        for unit in ("人", "名"):
            text = text.removesuffix(unit)
        if approximate and not text:
            raise ValueError(f"人数を数字で入力してください: 「{_shown(nfkc(value))}」")
        return parse_count(text), approximate
    return parse_count(value), False


def parse_count(value):
    """Return a whole number 0…MAX_COUNT from a cell ('25', '２５', '1,234', '25人', '30名'); None when blank.

    Anything else raises ValueError with a Japanese reason.
    """
    if isinstance(value, bool):
        raise ValueError("人数は0以上の整数で入力してください。")
    if isinstance(value, int):
        number = value
    elif isinstance(value, float):
        if not value.is_integer():
            raise ValueError(f"人数は整数で入力してください: 「{value}」")
        number = int(value)
    else:
        text = nfkc(value).replace(",", "").removesuffix("人").removesuffix("名").strip()
        if not text:
            return None
        if not re.fullmatch(r"-?\d+", text):
            raise ValueError(f"人数は0以上の整数で入力してください: 「{_shown(nfkc(value))}」")
        if len(text.lstrip("-0")) > len(str(MAX_COUNT)):
            # Checked before int(): Python refuses to convert more than 4,300 digits (in English).
            raise ValueError(f"人数が大きすぎます（{MAX_COUNT:,}人まで）: 「{_shown(text)}」")
        number = int(text)
    if number < 0:
        raise ValueError(f"人数は0以上の整数で入力してください: 「{number}」")
    if number > MAX_COUNT:
        raise ValueError(f"人数が大きすぎます（{MAX_COUNT:,}人まで）: 「{_shown(str(number))}」")
    return number


def local_government_code(digits):
    """Return the 5-digit code of a 5- or 6-digit local-government code (141054 → 14105).

    The sixth digit is the check digit (weights 6…2, modulus 11); a wrong one raises ValueError
    with the right code, since the ward may be mistyped.
    """
    if len(digits) == 5:
        return digits
    if len(digits) != 6:
        raise ValueError(f"区の団体コードは5桁（14105）か6桁（141054）です: 「{digits}」")
    total = sum(int(d) * w for d, w in zip(digits[:5], (6, 5, 4, 3, 2), strict=True))
    check = (11 - total % 11) % 10
    if int(digits[5]) != check:
        raise ValueError(
            f"団体コード「{digits}」の検査数字（6桁目）が合いません。{digits[:5]}の6桁のコードは"
            f"{digits[:5]}{check}です。区のコードを確かめてください。"
        )
    return digits[:5]


def ward_key(value):
    """Return the ward name a cell means, in the official spelling ('南' → '南区'); '' when blank.

    '横浜市南区', '南 区', '保土ヶ谷', '14105' and '141054' (with its check digit) are all understood;
    whether the ward exists is the caller's check. A 6-digit code with a wrong check digit raises ValueError.
    """
    if isinstance(value, str) and len(value) <= _CACHED_LENGTH:
        return _ward_key_cached(value)
    return _ward_key(value)


def _ward_key(value):
    text = compact_key(value).replace("ヶ", "ケ").replace("ヵ", "ケ")
    text = text.removeprefix("神奈川県").removeprefix("横浜市")
    if not text:
        return ""
    if text.isdigit():
        return local_government_code(text)  # a local-government code such as 14105 or 141054
    return text if text.endswith("区") else text + "区"


# A sheet writes the same few wards on row after row: short cells are read once (a bounded cache
# of bounded texts; a refusal, ValueError, is not cached and is raised again each time).
_CACHED_LENGTH = 64
_ward_key_cached = functools.lru_cache(maxsize=1024)(_ward_key)


# 「合計」「計」「小計」「総計」, alone or with a count (「合計 7名」「計：7」); a count alone (「7名」).
_TOTAL_WORD = re.compile(r"^(?:合計|小計|総計|累計|計|総数|合計人数|参加者計)[:：]?(?:\d[\d,]*(?:名|人)?)?$")
_COUNT_WITH_UNIT = re.compile(r"^(?:計)?\d[\d,]*(?:名|人)$")
_NUMBER = re.compile(r"^\d[\d,]*$")


def is_total_row(texts):
    """Return whether a row (its cells as text) is a total or subtotal line rather than a record.

    Such a row holds only a total word (合計, 計, 小計, 総計 …), counts with 名/人 and plain
    numbers, with at least one word or counted number: 「合計 | 7名」, 「7名」 alone, 「小計 | | 12」.
    A numbered but otherwise empty line (「5」) is not one.
    """
    cells = [compact_key(text) for text in texts]
    cells = [c for c in cells if c]
    if not cells:
        return False
    marked = False
    for cell in cells:
        if _TOTAL_WORD.match(cell) or _COUNT_WITH_UNIT.match(cell):
            marked = True
        elif not _NUMBER.match(cell):
            return False
    return marked


_TIME = re.compile(r"(\d{1,2})\s*(?::|時)\s*(\d{2})?")


def has_time(value):
    """Return whether a cell holds a time of day (「14:00」「14時」), e.g. a 日時 cell read as the date."""
    return bool(_TIME.search(nfkc(str(value or ""))))


def parse_time_range(value):
    """Return (start, end) datetime.time read from a 日時 cell such as 「14:00～16:00」 or 「14時～16時30分」.

    (None, None) for an empty cell; end is None when one time is given. ValueError (in Japanese)
    for text that holds no time, an impossible time, or an end not after the start.
    """
    text = nfkc(str(value or "")).strip()
    if not text:
        return None, None
    found = _TIME.findall(text)
    if not found or len(found) > 2:
        raise ValueError(f"日時「{_shown(text)}」から時刻を読み取れません（例：14:00～16:00）。")
    times = []
    for hour, minute in found:
        try:
            times.append(datetime.time(int(hour), int(minute or 0)))
        except ValueError:
            raise ValueError(f"日時「{_shown(text)}」の時刻「{hour}:{minute or '00'}」はありえない時刻です。") from None
    start, end = times[0], times[1] if len(times) == 2 else None
    if end is not None and end <= start:
        raise ValueError(f"日時「{_shown(text)}」の終了時刻が開始時刻より前です。")
    return start, end
