"""Admin list filters: every changelist, given bad values for every filter parameter, never answers 500.

The parameters are read from each changelist's own filters (and its date hierarchy), so a new
model or filter is covered without editing this file. A bad value is either ignored (the list is
shown, possibly unfiltered) or Django's "invalid lookup" redirect to the plain list (`?e=1`),
which then shows the list with a Japanese message.
"""

import pytest
from django.contrib import admin
from django.contrib.admin.views.main import ERROR_FLAG, SEARCH_VAR
from django.test import RequestFactory
from django.urls import reverse

from trainings.models import TrainingSession

BAD_VALUES = ["x", "-1", "9" * 30, "1988", "nul\x00", ""]
MODEL_ADMINS = sorted(admin.site._registry.items(), key=lambda item: item[0]._meta.label)


def filter_parameters(model_admin, user):
    """Return the query parameters the changelist of `model_admin` understands as filters (and its search)."""
    request = RequestFactory().get("/")
    request.user = user
    changelist = model_admin.get_changelist_instance(request)
    parameters = {name for spec in changelist.filter_specs for name in spec.expected_parameters()}
    if model_admin.search_fields:
        parameters.add(SEARCH_VAR)
    if model_admin.date_hierarchy:
        parameters |= {f"{model_admin.date_hierarchy}__{part}" for part in ("year", "month", "day")}
    return sorted(parameters)


def changelist_url(model):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")


@pytest.mark.parametrize(("model", "model_admin"), MODEL_ADMINS, ids=[m._meta.label for m, _ in MODEL_ADMINS])
def test_bad_filter_values_never_answer_500(admin_client, admin_user, demo_data, model, model_admin):
    parameters = filter_parameters(model_admin, admin_user)
    assert parameters or not model_admin.list_filter
    failures = []
    for name in parameters:
        for value in BAD_VALUES:
            try:
                response = admin_client.get(changelist_url(model), {name: value})
            except Exception as error:  # the test client re-raises a view's exception
                failures.append((name, value, repr(error)[:120]))
                continue
            if response.status_code == 302 and response.url.endswith(f"?{ERROR_FLAG}=1"):
                response = admin_client.get(response.url)
                if "絞り込みの条件が正しくない" not in response.content.decode():
                    failures.append((name, value, "redirected without a Japanese message"))
            elif response.status_code != 200:
                failures.append((name, value, response.status_code))
    assert not failures


def test_year_filter_ignores_a_value_that_is_not_a_year(admin_client, demo_data):
    url = reverse("admin:trainings_trainingsession_changelist")
    for value in ["x", "9" * 30, "1988", "2101"]:
        response = admin_client.get(url, {"fiscal_year": value})
        assert response.status_code == 200, value
        assert response.context["cl"].result_count == TrainingSession.objects.count(), value


def test_year_filter_still_filters_by_a_year(admin_client, demo_data, make_session):
    import datetime

    make_session(date=datetime.date(2020, 5, 1))
    url = reverse("admin:trainings_trainingsession_changelist")
    response = admin_client.get(url, {"fiscal_year": "2020"})
    assert response.context["cl"].result_count == 1
