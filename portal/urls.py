from django.contrib import admin
from django.urls import path

from portal import health, views

admin.site.site_header = "アプローチ型支援 記録管理"
admin.site.site_title = "アプローチ型支援 記録管理"
admin.site.index_title = "データ入力・管理"

urlpatterns = [
    path("", views.home, name="home"),
    path("cases/<slug:slug>/", views.case_detail, name="case_detail"),
    path("admin/", admin.site.urls),
    path("healthz", health.healthz, name="healthz"),
]
