"""Folding typed text for comparison and for search.

nfkc() and compact_key() fold numbers, dates, codes and names of places or organisations (NFKC:
full-width digits → ASCII, half-width kana → full-width) for matching what was typed against
what is stored; personal names are never folded by them (髙 stays 髙, ① stays ①).

fold() gives the form under which two spellings of a name compare equal when searching (髙橋 =
高橋, ｻｲﾄｳ = サイトウ = さいとう, 齋藤 = 斎藤 = 斉藤): for finding records only, never for
display or for telling people apart (trainings.names.person_key keeps names as written).
kana_variants() and spelling_variants() give the ways a word of a search is written (ふりがな in
either script; 空き家 / 空家), for searching columns as written.
"""

import functools
import re
import unicodedata

# Variant (異体字・旧字体) → the form searched. Names are entered as printed on a sign-in sheet or
# typed on whatever machine was at hand, so the same person appears under both. NFKC already
# folds the compatibility ideographs (U+F900–U+FAFF) that have a decomposition; those without one
# (﨑 U+FA11) are listed here.
VARIANT_KANJI = {
    "髙": "高", "﨑": "崎", "嵜": "崎", "碕": "崎", "德": "徳", "邊": "辺", "邉": "辺",
    "齋": "斎", "齊": "斎", "斉": "斎", "濵": "浜", "濱": "浜", "澤": "沢", "櫻": "桜",
    "廣": "広", "國": "国", "嶋": "島", "嶌": "島", "冨": "富", "條": "条", "瀨": "瀬",
    "眞": "真", "惠": "恵", "槇": "槙", "龍": "竜", "榮": "栄", "藏": "蔵", "實": "実",
    "壽": "寿", "淺": "浅", "將": "将", "靜": "静", "彌": "弥", "兒": "児", "與": "与",
    "萬": "万", "會": "会", "學": "学", "寳": "宝", "寶": "宝", "𠮷": "吉", "栁": "柳",
    "曻": "昇", "昻": "昂", "舘": "館", "峯": "峰", "嶽": "岳", "桒": "桑", "莊": "荘",
    "濟": "済", "澁": "渋", "黑": "黒", "淵": "渕", "渊": "渕", "驛": "駅", "縣": "県",
    "區": "区", "團": "団", "體": "体", "圓": "円", "擴": "拡", "鐵": "鉄",
}  # fmt: skip
# Katakana (ァ U+30A1 – ヶ U+30F6) → hiragana (U+3041 – U+3096): ふりがな is written either way.
# (Also read by trainings' migration 0007, which folds stored names in SQL.)
_HIRAGANA_OF_KATAKANA = {chr(code): chr(code - 0x60) for code in range(0x30A1, 0x30F7)}
_KANA = str.maketrans(_HIRAGANA_OF_KATAKANA)
# fold()'s two tables in one pass: they map disjoint characters, and no variant kanji becomes a katakana.
_FOLD_AND_KANA = str.maketrans({**VARIANT_KANJI, **_HIRAGANA_OF_KATAKANA})
_HIRAGANA = str.maketrans({hiragana: katakana for katakana, hiragana in _HIRAGANA_OF_KATAKANA.items()})
_SPACE = re.compile(r"\s+")


def nfkc(value):
    """Return `value` as text, NFKC-folded and stripped ('' for None)."""
    if value is None:
        return ""
    return unicodedata.normalize("NFKC", str(value)).strip()


def compact_key(value):
    """Return the matching key of a name: NFKC-folded, without any spaces (for organisations, headers)."""
    if isinstance(value, str) and len(value) <= _CACHED_LENGTH:
        return _compact_text(value)
    return _SPACE.sub("", nfkc(value))


# An import asks for the key of the same organisation, title or ward on row after row: short texts
# are cached (a bounded cache of bounded texts: a few MB at most, whatever a sheet holds).
_CACHED_LENGTH = 256


@functools.lru_cache(maxsize=4096)
def _compact_text(text):
    return _SPACE.sub("", unicodedata.normalize("NFKC", text).strip())


# Words written more than one way in the records and by the people searching them (送り仮名,
# 漢字/かな); each group is searched as one. NFKC-folded, compared as written otherwise.
SPELLING_VARIANTS = [
    ("空き家", "空家", "空き屋", "空屋", "あき家", "空きや"),
    ("空き店舗", "空店舗"),
    ("子ども", "子供", "こども"),
    ("取組", "取り組み", "取組み"),
    ("話し合い", "話合い"),
    ("申込", "申し込み", "申込み"),
    ("居場所", "いばしょ"),
    ("高齢者", "お年寄り", "シニア"),
    ("まちづくり", "街づくり", "町づくり", "まち作り"),
    ("防災", "ぼうさい"),
]


def fold(text):
    """Return `text` folded for searching: NFKC (widths), variant kanji, katakana as hiragana, lower case, no spaces.

    '' for None or ''. Folding a prefix gives a prefix of the folded text, so a stored fold can
    be searched with LIKE 'folded query%' (except across a half-width kana and its sound mark).
    """
    if not text:
        return ""
    text = unicodedata.normalize("NFKC", text)
    return _SPACE.sub("", text.translate(_FOLD_AND_KANA).casefold())


def kana_variants(text):
    """Return `text` as typed, in hiragana and in katakana (each NFKC: half-width kana become full-width).

    For searching a kana column as written: ふりがな is stored in either script. No repeats.
    """
    text = unicodedata.normalize("NFKC", text or "")
    return list(dict.fromkeys([text, text.translate(_KANA), text.translate(_HIRAGANA)]))


def spelling_variants(word):
    """Return the ways `word` is written: itself (NFKC) and every spelling of a group it contains.

    「空き家活用」 gives 「空き家活用」, 「空家活用」, 「空き屋活用」, …; a word in no group
    gives itself only.
    """
    word = unicodedata.normalize("NFKC", word)
    variants = [word]
    for group in SPELLING_VARIANTS:
        for spelling in group:
            if spelling in word:
                variants += [word.replace(spelling, other) for other in group if other != spelling]
                break
    return list(dict.fromkeys(variants))
