"""How the division's reports round headline figures written with 約 ("about")."""

# The yearly report writes totals like 「参加者約1,800人」: the exact figure rounded to two
# significant digits, halves away from zero. 1,820 → 1,800; 1,850 → 1,900; 130 → 130; 7 → 7.
SIGNIFICANT_DIGITS = 2
ROUNDING_RULE = "「約」の数値は実数を有効数字2桁に四捨五入したものです（例：1,820人 → 約1,800人）。"


def approximate(number, digits=SIGNIFICANT_DIGITS):
    """Return `number` rounded half-up to `digits` significant digits (an int)."""
    number = int(number)
    if number == 0:
        return 0
    sign = -1 if number < 0 else 1
    magnitude = len(str(abs(number)))
    unit = 10 ** max(magnitude - digits, 0)
    return sign * ((abs(number) + unit // 2) // unit) * unit


def known_participants(participants, sessions, sessions_without_count):
    """Return `participants`, or None when it stands for "not recorded".

    A group of sessions none of whose headcount is known has no participant figure (its sum is
    0 only by arithmetic); files and pages write it empty or 「不明」, never 0. A group without
    sessions has a true 0.
    """
    if participants is None:
        return None
    if sessions and sessions_without_count >= sessions:
        return None
    return participants


def signed_difference(number):
    """Return a difference as Japanese public documents write it: '＋120', '－35', '±0'; '—' when unknown.

    Full-width signs, never ▲/▼: in Japanese public documents ▲ (or △) marks a minus, so an
    arrow for an increase would be read as a decrease. None (no figure to compare with) gives '—'.
    """
    if number is None or number == "":
        return "—"
    number = int(number)
    if number == 0:
        return "±0"
    return f"＋{number:,}" if number > 0 else f"－{-number:,}"


def is_rounded(number):
    """Return True when the reports' rounding changes `number` (1,820 → 約1,800), False for None."""
    if number is None or number == "":
        return False
    return approximate(number) != int(number)


def approximate_text(number):
    """Return a figure as the reports write it: '約1,800' for 1,820, '130' for 130, '0' for 0, '' for None.

    「約」 only stands before a figure that rounding changed: 「約8人」 for an exact 8 would
    say the count is uncertain when it is not, and 「約0」 is never written. Unknown is empty.
    """
    if number is None or number == "":
        return ""
    if not is_rounded(number):
        return f"{int(number):,}"
    return f"約{approximate(number):,}"
