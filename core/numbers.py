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
