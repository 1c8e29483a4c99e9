"""Admin date fields that read dates as people type them, and show the Japanese-era date beside them.

Django's date field refused 「2019/5/20」 with only 「日付を正しく入力してください。」 although the
sheet import reads it. JapaneseDateField reads every form core.dates.parse_date reads (西暦 with
/ - . or 年月日, 和暦 and its initials, full-width digits) and refuses others with its Japanese
reason, which names the accepted forms. EraDateWidget shows the date in the Japanese calendar
beside the box (「令和元年5月20日」), rendered with the page and updated as a Western date is
typed (static/js/era-date.js). JapaneseDateAdminMixin (core.admin.base) gives every admin date
field both.
"""

import datetime
import json

from django import forms
from django.contrib.admin.widgets import AdminDateWidget
from django.core.exceptions import ValidationError
from django.db import models

from core.dates import parse_date
from core.fiscal import ERAS, wareki_date

ACCEPTED_FORMS = "2019/5/20、2019-05-20、2019年5月20日、令和元年5月20日、R1.5.20（全角数字も可）"


def era_label(value):
    """Return the Japanese-era date of `value` (a date, or text parse_date reads), or '' when there is none."""
    if not isinstance(value, datetime.date):
        try:
            value = parse_date(value)
        except (ValueError, TypeError):
            return ""
    try:
        return wareki_date(value)
    except ValueError:  # before 明治
        return ""


class EraDateWidget(AdminDateWidget):
    """The admin's date box (with 今日 and the calendar) and the date in the Japanese calendar beside it."""

    template_name = "core/widgets/era_date.html"

    class Media:
        js = ["js/era-date.js"]

    def __init__(self, attrs=None, format=None):
        # The eras for the script: [name, first day] newest first, as core.fiscal.ERAS.
        eras = json.dumps([[era.name, era.start.isoformat()] for era in ERAS], ensure_ascii=False)
        super().__init__(attrs={"data-eras": eras, **(attrs or {})}, format=format)

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        context["widget"]["era_label"] = era_label(value) if value not in (None, "") else ""
        return context


class JapaneseDateField(forms.DateField):
    """A date field reading 西暦 and 和暦 forms as the sheet import does (core.dates.parse_date)."""

    widget = EraDateWidget

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if isinstance(value, datetime.datetime):
            return value.date()
        if isinstance(value, datetime.date):
            return value
        try:
            return parse_date(value)
        except ValueError as error:
            message = str(error)
            if message.startswith("日付として読めません"):
                # The parser's own examples are the importer's; the admin names its accepted forms,
                # in the same words as every other date error of the form.
                message = f"「{value}」は日付として読めません"
            raise ValidationError(f"{message}（入力できる形式: {ACCEPTED_FORMS}）", code="invalid") from None


class JapaneseDateAdminMixin:
    """Give every date (not date-time) field of an admin JapaneseDateField and EraDateWidget."""

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if isinstance(db_field, models.DateField) and not isinstance(db_field, models.DateTimeField):
            kwargs = {"form_class": JapaneseDateField, "widget": EraDateWidget, **kwargs}
        return super().formfield_for_dbfield(db_field, request, **kwargs)
