from django.contrib import admin
from django.urls import path

from portal import dashboard_views, views

admin.site.site_header = "アプローチ型支援 記録管理"
admin.site.site_title = "アプローチ型支援 記録管理"
admin.site.index_title = "データ入力・管理"

urlpatterns = [
    path("", views.home, name="home"),
    path("cases/<slug:slug>/", views.case_detail, name="case_detail"),
    path("admin/", admin.site.urls),
]

# Staff dashboard and committee report (portal/dashboard_views.py).
urlpatterns += [
    path("dashboard/", dashboard_views.dashboard_latest, name="dashboard"),
    path("dashboard/<int:fy>/", dashboard_views.dashboard, name="dashboard_year"),
    path("dashboard/<int:fy>/report/", dashboard_views.committee_report, name="dashboard_report"),
    path("dashboard/<int:fy>/export/<slug:table>.<slug:fmt>", dashboard_views.export_table, name="dashboard_export"),
]
