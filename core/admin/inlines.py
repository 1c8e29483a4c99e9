"""A tabular inline that keeps one line per record on a 1366 px laptop, rarely used fields behind 「詳細」.

Django's tabular inline puts every field in a column: a session with its attendance rows grew
to 2,500 px wide. CompactTabularInline renders the `detail_fields` of each row inside a
<details> element at the end of the line (opened by a click, or by itself when one of them has
an error) and lays the rows out on a CSS grid whose columns are `column_widths`
(static/css/admin.css), so the table fits the content area whatever the text.
"""

from django import forms
from django.contrib.admin.widgets import RelatedFieldWidgetWrapper

from core.admin.base import TabularInline

# The width of a column not named in column_widths: shares the remaining space, never below 6em.
DEFAULT_COLUMN = "minmax(6em, 1fr)"
DETAIL_COLUMN = "5.5em"
DELETE_COLUMN = "3.5em"


class CompactInlineForm(forms.ModelForm):
    """The inline's form; knows which of its fields are behind 「詳細」 (set by the inline)."""

    detail_fields = ()

    @property
    def detail_has_errors(self):
        """Return True when a field behind 「詳細」 has an error (the row opens by itself)."""
        return any(name in self.errors for name in self.detail_fields)

    @property
    def detail_filled_labels(self):
        """Return the labels of the fields behind 「詳細」 that hold other than their default, for the row's summary."""
        labels = []
        for name in self.detail_fields:
            model_field = self.instance._meta.get_field(name)
            if name in self.fields:
                value, label = self[name].value(), self.fields[name].label
            else:  # a read-only field
                value, label = getattr(self.instance, name, None), model_field.verbose_name
            if value not in (None, "", [], ()) and str(value) != str(model_field.get_default()):
                labels.append(str(label))
        return labels


class CompactTabularInline(TabularInline):
    """A tabular inline of one line a record; `detail_fields` go behind a per-row 「詳細」."""

    template = "admin/edit_inline/compact_tabular.html"
    form = CompactInlineForm
    detail_fields = ()
    # field name → CSS grid track ("4em", "minmax(10em, 2fr)"); others get DEFAULT_COLUMN.
    column_widths = {}
    # The foreign keys that keep the 「追加」 (+) icon. The other icons (edit, delete, view) beside
    # every row's select cost 70 px a column and are reached from the record's own page.
    add_related_fields = ()

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        formset.form.detail_fields = tuple(self.detail_fields)
        return formset

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        formfield = super().formfield_for_dbfield(db_field, request, **kwargs)
        if formfield is not None and isinstance(formfield.widget, RelatedFieldWidgetWrapper):
            widget = formfield.widget
            widget.can_add_related = widget.can_add_related and db_field.name in self.add_related_fields
            widget.can_change_related = widget.can_delete_related = widget.can_view_related = False
        return formfield

    @property
    def grid_template(self):
        """Return the CSS grid-template-columns of the rows: the line's fields, 「詳細」, 削除 (from `fields`)."""
        line = [name for name in self.fields if name not in self.detail_fields]
        tracks = [self.column_widths.get(name, DEFAULT_COLUMN) for name in line]
        if self.detail_fields:
            tracks.append(DETAIL_COLUMN)
        tracks.append(DELETE_COLUMN)
        return " ".join(tracks)
