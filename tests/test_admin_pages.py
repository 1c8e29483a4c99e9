"""Every admin changelist and add page renders for a superuser (with the demo records loaded)."""

import pytest
from django.contrib import admin
from django.urls import reverse

from trainings.models import Attendance, AttendanceSheet, HeaderMapping, TrainingSession

MODELS = [
    (model._meta.app_label, model._meta.model_name)
    for model in admin.site._registry
    if model._meta.app_label in {"partners", "trainings", "outreach"}
]


def test_every_project_model_is_registered():
    assert {f"{app}.{name}" for app, name in MODELS} == {
        "partners.ward",
        "partners.bureau",
        "partners.organization",
        "partners.collaboration",
        "trainings.trainingcategory",
        "trainings.trainingsession",
        "trainings.attendance",
        "trainings.attendancesheet",
        "trainings.reportedfigure",
        "trainings.headermapping",
        "outreach.scheme",
        "outreach.approachcase",
        "outreach.caseevent",
        "outreach.achievement",
        "outreach.planitem",
        "outreach.planitemstatus",
    }


@pytest.mark.parametrize(("app", "model"), MODELS)
def test_changelist_renders(admin_client, demo_data, app, model):
    response = admin_client.get(reverse(f"admin:{app}_{model}_changelist"))
    assert response.status_code == 200


@pytest.mark.parametrize(("app", "model"), MODELS)
def test_changelist_search_renders(admin_client, demo_data, app, model):
    response = admin_client.get(reverse(f"admin:{app}_{model}_changelist"), {"q": "南区"})
    assert response.status_code == 200


# Sheets and header mappings come into being by importing, never through an add form.
MADE_BY_IMPORTING = {("trainings", "attendancesheet"), ("trainings", "headermapping")}


@pytest.mark.parametrize(("app", "model"), [m for m in MODELS if m not in MADE_BY_IMPORTING])
def test_add_page_renders(admin_client, app, model):
    response = admin_client.get(reverse(f"admin:{app}_{model}_add"))
    assert response.status_code == 200


@pytest.mark.parametrize(("app", "model"), MODELS)
def test_change_page_renders(admin_client, demo_data, app, model):
    session = TrainingSession.objects.first()
    sheet = AttendanceSheet.objects.create(file_name="名簿.csv", sha256="0" * 64, session=session, row_count=1)
    Attendance.objects.create(session=session, sheet=sheet, row_number=1, name="山田太郎")
    HeaderMapping.objects.create(kind="participants", header="ご所属", key="ご所属", column="organization")
    model_class = next(m for m in admin.site._registry if (m._meta.app_label, m._meta.model_name) == (app, model))
    obj = model_class.objects.first()
    response = admin_client.get(reverse(f"admin:{app}_{model}_change", args=[obj.pk]))
    assert response.status_code == 200


def test_admin_index_is_japanese(admin_client):
    html = admin_client.get(reverse("admin:index")).content.decode()
    assert "アプローチ型支援 記録管理" in html
    assert "研修" in html
    assert "ログアウト" in html


def test_session_list_filters_by_fiscal_year(admin_client, demo_data):
    response = admin_client.get(reverse("admin:trainings_trainingsession_changelist"), {"fiscal_year": "2018"})
    assert response.status_code == 200
    assert response.context["cl"].result_count == 48
    assert "2018年度（平成30年度）" in response.content.decode()


def test_session_changelist_query_count_is_bounded(admin_client, demo_data, django_assert_max_num_queries):
    with django_assert_max_num_queries(15):
        admin_client.get(reverse("admin:trainings_trainingsession_changelist"))
