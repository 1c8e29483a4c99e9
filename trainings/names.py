"""Keys that identify a person across sheets, for counting unique participants (実人数), and for finding them."""

import functools
import re
import unicodedata

from core.text import compact_key, fold

_SPACES = re.compile(r"\s+")
# Half-width katakana (ｦ…ﾟ, with the half-width sound marks): NFKC gives the full-width letter,
# joining ｼﾞ into ジ. Only these are folded in a name; everything else stays as written.
_HALFWIDTH_KANA = re.compile(r"[\uff66-\uff9f]+")


def _full_width_kana(match):
    return unicodedata.normalize("NFKC", match.group())


def _name_part(name):
    name = _SPACES.sub("", name)
    if name and _HALFWIDTH_KANA.search(name):
        name = _HALFWIDTH_KANA.sub(_full_width_kana, name)
    return name


def person_key(name, organization=""):
    """Return the key two attendance rows share when they are the same person, '' without a name.

    The name keeps its characters as written (髙 stays 髙, ① stays ①: personal names are never
    NFKC-folded) except half-width katakana, which become full-width (ﾀﾅｶ ｼﾞﾛｳ = タナカ ジロウ: the
    same name typed on another machine); spaces, including full-width ones, are dropped. The
    organisation is NFKC-folded and stripped of spaces, so 「中村地域ケアプラザ」 and
    「中村 地域ケアプラザ」 agree.
    """
    name = _cached_keys(name)[0] if _cacheable(name) else _name_part(name or "")
    if not name:
        return ""
    # compact_key: NFKC without any spaces, as above, and cached (the same few organisations on every row).
    return f"{name}|{compact_key(organization or '')}"


SEARCH_KEY_LENGTH = 100


def _search_key(name):
    return fold(name)[:SEARCH_KEY_LENGTH]


# An import asks for both keys of every row's name (Attendance.set_derived_fields), and the same
# people come back session after session: a short name is read once for both, in one bounded cache
# of bounded texts (as core.text.compact_key's), a few MB at most whatever the sheet holds.
_CACHED_LENGTH = 256


def _cacheable(name):
    return isinstance(name, str) and len(name) <= _CACHED_LENGTH


@functools.lru_cache(maxsize=4096)
def _cached_keys(name):
    """Return (the name as person_key keeps it, its search key) of a short name."""
    return _name_part(name), _search_key(name)


def name_search_key(name):
    """Return the attendee's name as the admin searches it (Attendance.search_key): core.text.fold, '' without a name.

    髙橋 一郎, 高橋一郎 and ﾀｶﾊｼ… fold alike; a search matches the folded query as a prefix.
    """
    return _cached_keys(name)[1] if _cacheable(name) else _search_key(name)
