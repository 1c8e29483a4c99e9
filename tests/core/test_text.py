import pytest

from core.text import compact_key, fold, kana_variants, spelling_variants


@pytest.mark.parametrize(
    ("one", "other"),
    [
        ("髙橋 一郎", "高橋一郎"),
        ("山﨑", "山崎"),
        ("德永", "徳永"),
        ("渡邊", "渡辺"),
        ("渡邉", "渡辺"),
        ("齋藤", "斎藤"),
        ("齊藤", "斉藤"),
        ("濵田", "浜田"),
        ("ﾀｶﾊｼ", "たかはし"),
        ("タカハシ", "たかはし"),
        ("ＡＢＣ　１２３", "abc123"),
        ("神奈川区　地域ケアプラザ", "神奈川区地域ｹｱﾌﾟﾗｻﾞ"),
    ],
)
def test_spellings_of_one_name_fold_alike(one, other):
    assert fold(one) == fold(other)


def test_different_names_stay_different():
    assert fold("高橋") != fold("高島")
    assert fold("斎藤") != fold("佐藤")
    assert fold("") == fold(None) == ""


def test_a_folded_prefix_is_a_prefix_of_the_folded_name():
    assert fold("髙橋 一郎").startswith(fold("高橋"))
    assert fold("ワタナベ　ケンタロウ").startswith(fold("わたなべけん"))


def test_kana_variants_give_both_scripts_in_full_width():
    assert kana_variants("ﾀｶﾊｼ") == ["タカハシ", "たかはし"]
    assert kana_variants("たかはし") == ["たかはし", "タカハシ"]
    assert kana_variants("高橋") == ["高橋"]


def test_spelling_variants_cover_common_ways_of_writing_a_word():
    assert set(spelling_variants("空き家")) >= {"空き家", "空家"}
    assert "空き家活用" in spelling_variants("空家活用")
    assert spelling_variants("出前塾") == ["出前塾"]


def test_compact_key_folds_widths_and_drops_spaces_of_short_and_long_texts():
    # Short texts go through a cache, long ones not: the same folding either way.
    assert compact_key("　中村 地域ｹｱﾌﾟﾗｻﾞ ") == "中村地域ケアプラザ"
    assert compact_key("　中村 地域ｹｱﾌﾟﾗｻﾞ " * 100) == "中村地域ケアプラザ" * 100
    assert compact_key(None) == ""


def test_compact_key_tells_numbers_of_equal_value_apart():
    # 1, 1.0 and True are equal as keys of a cache but are different texts.
    assert [compact_key(1), compact_key(1.0), compact_key(True)] == ["1", "1.0", "True"]


def test_fold_turns_variant_kanji_and_katakana_in_one_pass():
    assert fold("髙橋 ｻｲﾄｳ 德永 タカハシ") == "高橋さいとう徳永たかはし"
