from django.contrib import admin
from django.urls import path, register_converter

from core.converters import FiscalYearConverter
from portal import health
from portal.dashboard import publishing
from portal.dashboard import views as dashboard_views
from portal.login_protection import LoginForm
from portal.public import opendata_views
from portal.public import views as public_views

# Warns from the third failed login how many attempts are left before the lock-out.
admin.site.login_form = LoginForm

register_converter(FiscalYearConverter, "fy")

urlpatterns = [
    path("", public_views.home, name="home"),
    path("summary/", public_views.summary_latest, name="summary_latest"),
    path("summary/<fy:fiscal_year>/", public_views.fiscal_year_summary, name="fiscal_year_summary"),
    path("cases/", public_views.case_list, name="case_list"),
    path("cases/<slug:slug>/", public_views.case_detail, name="case_detail"),
    path("collaborations/", public_views.collaborations_latest, name="collaborations_latest"),
    path("collaborations/<fy:fiscal_year>/", public_views.collaborations, name="collaborations"),
    path("open-data/", opendata_views.index, name="opendata"),
    path("open-data/<fy:fiscal_year>/<slug:name>.<str:fmt>", opendata_views.yearly_file, name="opendata_yearly"),
    path("open-data/<slug:name>.<str:fmt>", opendata_views.dataset_file, name="opendata_file"),
    path("admin/", admin.site.urls),
    path("healthz", health.healthz, name="healthz"),
]

# Staff dashboard and committee report (portal/dashboard/views.py).
urlpatterns += [
    path("dashboard/", dashboard_views.dashboard_latest, name="dashboard"),
    path("dashboard/<int:fy>/", dashboard_views.dashboard, name="dashboard_year"),
    path("dashboard/<int:fy>/report/", dashboard_views.committee_report, name="dashboard_report"),
    path("dashboard/<int:fy>/publish/", publishing.publish, name="dashboard_publish"),
    path(
        "dashboard/<int:fy>/report/download.<slug:fmt>",
        dashboard_views.committee_report_file,
        name="dashboard_report_file",
    ),
    path("dashboard/<int:fy>/export/<slug:table>.<slug:fmt>", dashboard_views.export_table, name="dashboard_export"),
]
