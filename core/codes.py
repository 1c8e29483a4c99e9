"""全国地方公共団体コード: the 5-digit code and its 6-digit form with check digit."""

WEIGHTS = (6, 5, 4, 3, 2)


def check_digit(code):
    """Return the check digit (a one-character str) of the 5-digit local-government code `code`.

    JIS X 0401/0402: multiply the digits by 6, 5, 4, 3, 2, take the sum's remainder modulo 11,
    subtract it from 11 and keep the last digit (14100 → 3, so Yokohama is 141003).
    """
    code = str(code)
    if len(code) != 5 or not code.isdigit():
        raise ValueError(f"団体コードは5桁の数字です：{code!r}")
    total = sum(int(digit) * weight for digit, weight in zip(code, WEIGHTS, strict=True))
    return str((11 - total % 11) % 10)


def with_check_digit(code):
    """Return the 6-digit local-government code of the 5-digit `code` (14105 → '141054'); '' for ''."""
    if not code:
        return ""
    return f"{code}{check_digit(code)}"
