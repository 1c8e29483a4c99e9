"""Normalising values typed into Excel sheets for the import: wards and headcounts.

NFKC folding (core.text) is applied to numbers, codes and ward names only. Personal names are
never folded: 髙 stays 髙 and ① stays ①. Dates are read by core.dates.
"""

import re

from core.text import compact_key, nfkc

# Far above any real session (the whole program has about 1,800 participants a year) and within
# every database's integer column: a larger figure is a typing error, not a headcount.
MAX_COUNT = 1_000_000


def _shown(text, limit=20):
    return text if len(text) <= limit else text[:limit] + "…"


def parse_count(value):
    """Return a whole number 0…MAX_COUNT from a cell ('25', '２５', '1,234', '25人'); None when blank.

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
        text = nfkc(value).replace(",", "").removesuffix("人").strip()
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


def ward_key(value):
    """Return the ward name a cell means, in the official spelling ('南' → '南区'); '' when blank.

    '横浜市南区', '南 区', '保土ヶ谷' are all understood; whether the ward exists is the caller's check.
    """
    text = compact_key(value).replace("ヶ", "ケ").replace("ヵ", "ケ")
    text = text.removeprefix("神奈川県").removeprefix("横浜市")
    if not text:
        return ""
    if text.isdigit():
        return text  # a local-government code such as 14105
    return text if text.endswith("区") else text + "区"


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
