"""Template filters of the staff dashboard and the committee report."""

from django import template
from django.contrib.humanize.templatetags.humanize import intcomma

register = template.Library()


@register.filter
def signed(number):
    """Return a difference as written in the tables: '+48', '−20', '±0'; '—' when unknown."""
    if number is None or number == "":
        return "—"
    number = int(number)
    if number == 0:
        return "±0"
    return f"+{intcomma(number)}" if number > 0 else f"−{intcomma(-number)}"


@register.filter
def trend_class(number):
    """Return the CSS class marking a difference as up, down or unchanged (shown with a sign, not colour alone)."""
    if not number:
        return "same"
    return "up" if number > 0 else "down"
