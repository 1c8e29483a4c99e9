"""Every admin add form, given invalid values, answers with Japanese errors and writes nothing.

The invalid values are derived from each form's own fields (so a new model or field is covered
without editing this file): negative or absurd numbers, too-long text, impossible dates such as
2018-02-30, ids of rows that do not exist or are not numbers, choices that are not offered,
fiscal years 18 and 99999, and empty required fields.
"""

import re

import pytest
from django import forms
from django.contrib import admin
from django.urls import reverse

from tests.trainings.db_state import database_state

JAPANESE = re.compile(r"[\u3040-\u30ff\u4e00-\u9fff]")
# Sheets and header mappings come into being by importing, never through an add form.
MADE_BY_IMPORTING = {("trainings", "attendancesheet"), ("trainings", "headermapping")}
MODELS = [
    model
    for model in admin.site._registry
    if model._meta.app_label in {"partners", "trainings", "outreach"}
    and (model._meta.app_label, model._meta.model_name) not in MADE_BY_IMPORTING
]


def invalid_values(name, field):
    """Return values the form field must refuse (each a string, or a list for multiple choices)."""
    if isinstance(field, forms.ModelMultipleChoiceField):
        return [["999999"], ["abc"], ["9" * 30]]
    if isinstance(field, forms.ModelChoiceField):
        return ["999999", "abc", "9" * 30, "-1"]
    if isinstance(field, forms.ChoiceField):
        return ["not-a-choice", "選択肢にない値"]
    if isinstance(field, forms.IntegerField):
        values = ["abc", "9" * 30, "1.5"]
        if field.min_value is not None and field.min_value >= 0:
            values.append("-1")
        if "fiscal_year" in name:
            values += ["18", "99999"]
        return values
    if isinstance(field, forms.DecimalField | forms.FloatField):
        return ["abc", "1e999999"]
    if isinstance(field, forms.DateField):
        return ["2018-02-30", "2019-13-01", "昨日"]
    if isinstance(field, forms.DateTimeField):
        return ["2018-02-30 10:00", "not-a-date"]
    if isinstance(field, forms.TimeField):
        return ["25:61"]
    if isinstance(field, forms.EmailField):
        return ["not-an-email"]
    if isinstance(field, forms.URLField):
        return ["not a url"]
    if isinstance(field, forms.CharField):
        values = ["nul\x00character"]
        if field.max_length:
            values.append("長" * (field.max_length + 1))
        return values
    return []


def management_data(response):
    """Return the POST data of the inline formsets' management forms, with no inline rows."""
    data = {}
    for inline in response.context.get("inline_admin_formsets", []):
        prefix = inline.formset.prefix
        data.update({f"{prefix}-TOTAL_FORMS": "0", f"{prefix}-INITIAL_FORMS": "0"})
        data.update({f"{prefix}-MIN_NUM_FORMS": "0", f"{prefix}-MAX_NUM_FORMS": "1000"})
    return data


def field_data(form, name, value):
    """Return the POST items setting form field `name` to `value` (split date/time widgets take two)."""
    field = form.fields[name]
    key = form.add_prefix(name)
    if isinstance(field, forms.SplitDateTimeField):
        date, _, time = value.partition(" ")
        return {f"{key}_0": date, f"{key}_1": time or "10:00"}
    return {key: value}


def assert_refused(response, before, fields):
    assert response.status_code == 200, "an invalid form must be shown again, not saved or crashed"
    form = response.context["adminform"].form
    for name in fields:
        assert name in form.errors, f"{name} accepted an invalid value"
    messages = [m for errors in form.errors.values() for m in errors]
    assert messages and all(JAPANESE.search(m) for m in messages), messages
    assert database_state() == before


def add_url(model):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_add")


@pytest.mark.parametrize("model", MODELS, ids=lambda m: f"{m._meta.app_label}.{m._meta.model_name}")
def test_invalid_values_are_refused_in_japanese_and_write_nothing(admin_client, model):
    page = admin_client.get(add_url(model))
    form = page.context["adminform"].form
    base = management_data(page)
    candidates = {name: invalid_values(name, field) for name, field in form.fields.items()}
    candidates = {name: values for name, values in candidates.items() if values}
    assert candidates, f"no field of {model.__name__} can be given an invalid value"
    before = database_state()
    for round_ in range(max(len(v) for v in candidates.values())):
        data = dict(base)
        for name, values in candidates.items():
            data.update(field_data(form, name, values[round_ % len(values)]))
        assert_refused(admin_client.post(add_url(model), data), before, candidates)


@pytest.mark.parametrize("model", MODELS, ids=lambda m: f"{m._meta.app_label}.{m._meta.model_name}")
def test_empty_required_fields_are_named(admin_client, model):
    page = admin_client.get(add_url(model))
    form = page.context["adminform"].form
    required = [name for name, field in form.fields.items() if field.required]
    before = database_state()
    response = admin_client.post(add_url(model), management_data(page))
    assert_refused(response, before, required)
    form = response.context["adminform"].form
    assert all("このフィールドは必須です。" in form.errors[name] for name in required)
