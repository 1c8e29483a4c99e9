"""List columns for long Japanese text (cut to two lines, the whole text on hover) and yes/no icons in Japanese."""

from django.contrib import admin
from django.templatetags.static import static
from django.utils.html import format_html


def truncated(text, *, short=False):
    """Return `text` in a span that CSS cuts to two lines (class "truncated"), the whole text as its title.

    An empty text gives "" (the list shows its empty-value marker). `short` cuts narrower (14em
    instead of 24em), for a second long column beside the title.
    """
    if text in (None, ""):
        return ""
    text = str(text)
    return format_html('<span class="truncated{}" title="{}">{}</span>', " short" if short else "", text, text)


def truncated_column(field, description, *, ordering=None, short=False):
    """Return an admin list column (a method) showing `field` of the row through truncated().

    `field` may follow relations with "__" (「session__title」). Sorted by `ordering`, which
    defaults to `field` itself.
    """

    @admin.display(description=description, ordering=ordering or field)
    def column(model_admin, obj):
        value = obj
        for part in field.split("__"):
            value = getattr(value, part, None) if value is not None else None
        return truncated(value, short=short)

    return column


def count_column(field, description):
    """Return an admin list column showing the count `field` with thousands separators (12,000), sorted by it.

    None (unknown) stays empty (the list's empty-value marker), never 0.
    """

    @admin.display(description=description, ordering=field, empty_value="")
    def column(model_admin, obj):
        value = getattr(obj, field)
        return None if value is None else f"{value:,}"

    return column


BOOLEAN_WORDS = {True: ("yes", "はい"), False: ("no", "いいえ"), None: ("unknown", "不明")}


def boolean_icon(value):
    """Return Django's yes/no/unknown icon with a Japanese alternative text (Django writes alt="True").

    core.admin.base.SafeAutocompleteAdminMixin shows the project's boolean list columns with it.
    """
    icon, word = BOOLEAN_WORDS[value]
    return format_html('<img src="{}" alt="{}">', static(f"admin/img/icon-{icon}.svg"), word)


def boolean_column(name, description):
    """Return an admin list column showing the boolean field `name` by boolean_icon() (Japanese alt text)."""

    @admin.display(description=description, ordering=name)
    def column(obj):
        return boolean_icon(getattr(obj, name))

    return column
