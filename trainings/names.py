"""Keys that identify a person across sheets, for counting unique participants (実人数), and for finding them."""

import re
import unicodedata

from core.text import compact_key, fold

_SPACES = re.compile(r"\s+")
# Half-width katakana (ｦ…ﾟ, with the half-width sound marks): NFKC gives the full-width letter,
# joining ｼﾞ into ジ. Only these are folded in a name; everything else stays as written.
_HALFWIDTH_KANA = re.compile(r"[\uff66-\uff9f]+")


def _full_width_kana(match):
    return unicodedata.normalize("NFKC", match.group())


def person_key(name, organization=""):
    """Return the key two attendance rows share when they are the same person, '' without a name.

    The name keeps its characters as written (髙 stays 髙, ① stays ①: personal names are never
    NFKC-folded) except half-width katakana, which become full-width (ﾀﾅｶ ｼﾞﾛｳ = タナカ ジロウ: the
    same name typed on another machine); spaces, including full-width ones, are dropped. The
    organisation is NFKC-folded and stripped of spaces, so 「中村地域ケアプラザ」 and
    「中村 地域ケアプラザ」 agree.
    """
    name = _SPACES.sub("", name or "")
    if not name:
        return ""
    if _HALFWIDTH_KANA.search(name):
        name = _HALFWIDTH_KANA.sub(_full_width_kana, name)
    # compact_key: NFKC without any spaces, as above, and cached (the same few organisations on every row).
    return f"{name}|{compact_key(organization or '')}"


SEARCH_KEY_LENGTH = 100


def name_search_key(name):
    """Return the attendee's name as the admin searches it (Attendance.search_key): core.text.fold, '' without a name.

    髙橋 一郎, 高橋一郎 and ﾀｶﾊｼ… fold alike; a search matches the folded query as a prefix.
    """
    return fold(name)[:SEARCH_KEY_LENGTH]
