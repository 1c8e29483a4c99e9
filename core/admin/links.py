"""Links from dashboard figures to the admin lists of the records behind them.

The parameter names are those the admin list filters accept: `fiscal_year` (core.admin.filters
on a model's own fiscal year), `session_fiscal_year` (on an attendance's session), the related-field
filters `<field>__id__exact`, the date hierarchy's `date__year`/`date__month`, and plain lookups on a
model's own fields (`id__in`, `headcount__isnull`), which the admin always allows.
"""

from urllib.parse import urlencode

from django.urls import reverse

# An `id__in` link longer than this would break some browsers and proxies; the list filtered by
# year is shown instead.
MAX_IDS_IN_LINK = 200


def changelist_url(app_model, **params):
    """Return the admin changelist URL of `app_model` ('trainings.trainingsession') filtered by `params`."""
    app, model = app_model.split(".")
    url = reverse(f"admin:{app}_{model}_changelist")
    params = {key: value for key, value in params.items() if value is not None}
    return f"{url}?{urlencode(params)}" if params else url


def change_url(app_model, pk):
    """Return the admin change page URL of one record."""
    app, model = app_model.split(".")
    return reverse(f"admin:{app}_{model}_change", args=[pk])


def ids_param(ids):
    """Return the `id__in` value for a list of primary keys, or None when the list is too long to link."""
    ids = sorted(ids)
    if len(ids) > MAX_IDS_IN_LINK:
        return None
    return ",".join(str(pk) for pk in ids) or "0"


def sessions_url(fiscal_year, **params):
    """Return the training-session list of `fiscal_year`, further filtered by `params`."""
    return changelist_url("trainings.trainingsession", fiscal_year=fiscal_year, **params)
