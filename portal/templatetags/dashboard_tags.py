"""Template filters of the staff dashboard and the committee report."""

from django import template

from core.numbers import signed_difference

register = template.Library()


@register.filter
def signed(number):
    """Return a difference as written in the tables: '＋48', '－20', '±0'; '—' when unknown (core.numbers)."""
    return signed_difference(number)


@register.filter
def trend_class(number):
    """Return the CSS class marking a difference as up, down, unchanged or unknown ('none')."""
    if number is None or number == "":
        return "none"
    if not number:
        return "same"
    return "up" if number > 0 else "down"
