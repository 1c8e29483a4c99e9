"""Normalising values typed into Excel sheets for the import: wards, headcounts and times.

NFKC folding (core.text) is applied to numbers, codes and ward names only. Personal names are
never folded: 髙 stays 髙 and ① stays ①. Dates are read by core.dates.
"""

import datetime
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


_TIME = re.compile(r"(\d{1,2})\s*(?::|時)\s*(\d{2})?")


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
