"""Folding typed text for comparison: NFKC (full-width digits → ASCII, half-width kana → full-width).

Apply it to numbers, dates, codes and names of places or organisations only: personal names
are never folded (髙 stays 髙, ① stays ①).
"""

import re
import unicodedata

_SPACES = re.compile(r"\s+")


def nfkc(value):
    """Return `value` as text, NFKC-folded and stripped ('' for None)."""
    if value is None:
        return ""
    return unicodedata.normalize("NFKC", str(value)).strip()


def compact_key(value):
    """Return the matching key of a name: NFKC-folded, without any spaces (for organisations, headers)."""
    return _SPACES.sub("", nfkc(value))
