"""Roles: the groups the migration creates, and who may open which page (the role matrix)."""

from importlib import import_module
from io import StringIO

import pytest
from django.apps import apps
from django.contrib import admin
from django.contrib.auth.models import Group, User
from django.core.management import call_command
from django.core.management.base import CommandError

from partners.models import Organization
from portal.roles import ADMINISTRATOR, DATA_ENTRY, MANAGER, RECORD_MODELS, ROLE_PERMISSIONS, ROLES
from trainings.models import Attendance, TrainingSession

# What a response may be: the page (200), the login page (302 to /admin/login/), refused (403).
OK, LOGIN, DENIED = "ok", "login", "denied"
# The columns of the matrix, in order.
WHO = ["anonymous", DATA_ENTRY, MANAGER, ADMINISTRATOR, "staff without a role"]

# fmt: off
MATRIX = [
    # page                                                        anonymous 入力担当  管理職   システム管理者 staff
    ("/admin/",                                                     LOGIN,  OK,     OK,     OK,     OK),
    ("/admin/trainings/trainingsession/",                           LOGIN,  OK,     OK,     OK,     DENIED),
    ("/admin/trainings/trainingsession/add/",                       LOGIN,  OK,     DENIED, DENIED, DENIED),
    ("/admin/trainings/trainingsession/{session}/change/",          LOGIN,  OK,     OK,     OK,     DENIED),
    ("/admin/trainings/trainingsession/{session}/history/",         LOGIN,  OK,     OK,     OK,     DENIED),
    ("/admin/trainings/trainingsession/{session}/delete/",          LOGIN,  OK,     DENIED, DENIED, DENIED),
    ("/admin/trainings/trainingsession/export/",                    LOGIN,  OK,     OK,     OK,     DENIED),
    ("/admin/trainings/attendance/",                                LOGIN,  OK,     OK,     OK,     DENIED),
    ("/admin/trainings/attendance/add/",                            LOGIN,  OK,     DENIED, DENIED, DENIED),
    ("/admin/trainings/attendance/{attendance}/change/",            LOGIN,  OK,     OK,     OK,     DENIED),
    ("/admin/trainings/attendancesheet/",                           LOGIN,  OK,     OK,     OK,     DENIED),
    ("/admin/trainings/attendancesheet/import/",                    LOGIN,  OK,     DENIED, DENIED, DENIED),
    ("/admin/partners/organization/",                               LOGIN,  OK,     OK,     OK,     DENIED),
    ("/admin/partners/organization/add/",                           LOGIN,  OK,     DENIED, DENIED, DENIED),
    ("/admin/partners/organization/{organization}/change/",         LOGIN,  OK,     OK,     OK,     DENIED),
    ("/admin/partners/ward/add/",                                   LOGIN,  DENIED, DENIED, DENIED, DENIED),
    ("/admin/outreach/approachcase/",                               LOGIN,  OK,     OK,     OK,     DENIED),
    ("/admin/outreach/approachcase/add/",                           LOGIN,  OK,     DENIED, DENIED, DENIED),
    ("/admin/outreach/approachcase/{case}/change/",                 LOGIN,  OK,     OK,     OK,     DENIED),
    ("/admin/outreach/caseevent/add/",                              LOGIN,  OK,     DENIED, DENIED, DENIED),
    ("/admin/auth/user/",                                           LOGIN,  DENIED, DENIED, OK,     DENIED),
    ("/admin/auth/user/add/",                                       LOGIN,  DENIED, DENIED, OK,     DENIED),
    ("/admin/auth/group/",                                          LOGIN,  DENIED, DENIED, OK,     DENIED),
    ("/admin/axes/accessattempt/",                                  LOGIN,  DENIED, DENIED, OK,     DENIED),
    ("/dashboard/2018/",                                            LOGIN,  OK,     OK,     OK,     DENIED),
    ("/dashboard/2018/report/",                                     LOGIN,  OK,     OK,     OK,     DENIED),
    ("/dashboard/2018/export/categories.csv",                       LOGIN,  OK,     OK,     OK,     DENIED),
    ("/dashboard/2018/export/wards.xlsx",                           LOGIN,  OK,     OK,     OK,     DENIED),
    ("/dashboard/2018/publish/",                                    LOGIN,  OK,     OK,     OK,     DENIED),
    ("/",                                                           OK,     OK,     OK,     OK,     OK),
    ("/summary/2018/",                                              OK,     OK,     OK,     OK,     OK),
    ("/cases/",                                                     OK,     OK,     OK,     OK,     OK),
    ("/collaborations/2018/",                                       OK,     OK,     OK,     OK,     OK),
    ("/open-data/",                                                 OK,     OK,     OK,     OK,     OK),
    ("/open-data/2018/training_categories.csv",                     OK,     OK,     OK,     OK,     OK),
    ("/healthz",                                                    OK,     OK,     OK,     OK,     OK),
]
# fmt: on

CELLS = [
    pytest.param(who, row[0], row[1 + column], id=f"{row[0]}-{who}") for row in MATRIX for column, who in enumerate(WHO)
]


@pytest.fixture
def records(small_year):
    """The FY2018 records of tests/portal/conftest.py plus an attendance row; returns the URL ids."""
    session = small_year.s2
    return {
        "session": session.pk,
        "attendance": Attendance.objects.filter(session=session).first().pk,
        "organization": Organization.objects.first().pk,
        "case": small_year.case_a.pk,
    }


def make_user(who):
    """Return a staff user holding the role `who` (or no role), or None for the anonymous visitor."""
    if who == "anonymous":
        return None
    user = User.objects.create_user(f"user-{WHO.index(who)}", is_staff=True)
    if who in ROLES:
        user.groups.add(Group.objects.get(name=who))
    return user


def outcome(response):
    """Return OK, LOGIN or DENIED for a response (anything else is returned as its status)."""
    if response.status_code == 200:
        return OK
    if response.status_code == 302 and response["Location"].startswith("/admin/login/"):
        return LOGIN
    if response.status_code == 403:
        return DENIED
    return f"{response.status_code} {response.get('Location', '')}"


@pytest.mark.parametrize(("who", "page", "expected"), CELLS)
def test_role_matrix(client, records, who, page, expected):
    user = make_user(who)
    if user is not None:
        client.force_login(user)
    response = client.get(page.format(**records))
    assert outcome(response) == expected


def test_a_refused_dashboard_says_why_in_japanese(client, records):
    client.force_login(make_user("staff without a role"))
    response = client.get("/dashboard/2018/")
    html = response.content.decode()
    assert response.status_code == 403
    assert "このページを見る権限がありません" in html and "システム管理者に" in html
    assert 'href="/admin/"' in html  # a way back for a staff user


def test_a_manager_cannot_change_a_session_by_posting(client, records):
    client.force_login(make_user(MANAGER))
    session = TrainingSession.objects.get(pk=records["session"])
    url = f"/admin/trainings/trainingsession/{session.pk}/change/"
    response = client.post(url, {"title": "書き換え", "date": "2018-05-20", "audience": "other"})
    assert response.status_code == 403
    session.refresh_from_db()
    assert session.title == "s2"


def test_data_entry_staff_add_an_organisation(client, db, ward):
    client.force_login(make_user(DATA_ENTRY))
    response = client.post(
        "/admin/partners/organization/add/", {"name": "新しい地区センター", "kind": "other", "ward": ward.pk}
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert Organization.objects.filter(name="新しい地区センター").exists()


def test_the_dashboard_link_shows_only_to_holders_of_the_permission(client, db):
    client.force_login(make_user("staff without a role"))
    assert 'href="/dashboard/"' not in client.get("/").content.decode()
    client.force_login(make_user(MANAGER))
    assert 'href="/dashboard/"' in client.get("/").content.decode()


# --- the groups -----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_migration_created_the_three_roles_with_exactly_their_permissions():
    for name in ROLES:
        group = Group.objects.get(name=name)
        held = {f"{p.content_type.app_label}.{p.codename}" for p in group.permissions.select_related("content_type")}
        assert held == set(ROLE_PERMISSIONS[name]), name
    assert "trainings.import_attendancesheet" in ROLE_PERMISSIONS[DATA_ENTRY]
    # Managers read everything and change nothing, but approve a year's public figures.
    assert [p for p in ROLE_PERMISSIONS[MANAGER] if not p.split(".")[1].startswith("view_")] == [
        "portal.publish_fiscal_year"
    ]
    assert not [name for name in ROLES if name != MANAGER and "portal.publish_fiscal_year" in ROLE_PERMISSIONS[name]]


def test_every_admin_model_of_the_record_apps_has_a_role_decision():
    registered = {
        (model._meta.app_label, model._meta.model_name)
        for model in admin.site._registry
        if model._meta.app_label in RECORD_MODELS
    }
    declared = {(app, model) for app, models in RECORD_MODELS.items() for model in models}
    assert registered == declared


@pytest.mark.django_db
def test_the_role_migration_is_reversible_and_idempotent():
    migration = import_module("portal.migrations.0002_roles")
    migration.remove_roles(apps, None)
    assert not Group.objects.filter(name__in=ROLES).exists()
    migration.create_roles(apps, None)
    migration.create_roles(apps, None)
    assert Group.objects.filter(name__in=ROLES).count() == 3
    assert Group.objects.get(name=MANAGER).permissions.count() == len(ROLE_PERMISSIONS[MANAGER])
    import_module("portal.migrations.0005_publication").grant_publishing(apps, None)  # idempotent
    assert Group.objects.get(name=MANAGER).permissions.count() == len(ROLE_PERMISSIONS[MANAGER])


@pytest.mark.django_db
def test_setup_roles_puts_a_group_back_to_its_definition():
    group = Group.objects.get(name=MANAGER)
    group.permissions.add(*Group.objects.get(name=ADMINISTRATOR).permissions.all())
    out = StringIO()
    call_command("setup_roles", stdout=out)
    assert group.permissions.count() == len(ROLE_PERMISSIONS[MANAGER])
    assert "管理職: 権限" in out.getvalue()


@pytest.mark.django_db
def test_grant_role_adds_the_group_and_staff_status():
    user = User.objects.create_user("tanaka")
    call_command("grant_role", "tanaka", "data-entry", stdout=StringIO())
    user.refresh_from_db()
    assert user.is_staff and user.has_perm("trainings.import_attendancesheet")
    assert not user.has_perm("auth.change_user")

    call_command("grant_role", "tanaka", DATA_ENTRY, "--remove", stdout=StringIO())
    assert not User.objects.get(pk=user.pk).has_perm("trainings.import_attendancesheet")


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("args", "message"), [(["nobody", MANAGER], "登録されていません"), (["x", "社長"], "ありません")]
)
def test_grant_role_refuses_unknown_users_and_roles(args, message):
    User.objects.create_user("x")
    with pytest.raises(CommandError, match=message):
        call_command("grant_role", *args, stdout=StringIO())


@pytest.mark.django_db
def test_creating_the_roles_leaves_the_app_registry_intact():
    # The migration lends the migration registry's app configs a models module; the real ones keep theirs.
    before = {config.label: config.models_module for config in apps.get_app_configs()}
    import_module("portal.migrations.0002_roles").create_roles(apps, None)
    assert {config.label: config.models_module for config in apps.get_app_configs()} == before
    assert apps.get_app_config("partners").models_module is not None


@pytest.mark.django_db
def test_grant_role_creates_a_staff_user_with_a_role_in_one_step(monkeypatch):
    monkeypatch.setenv("PORTAL_USER_PASSWORD", "Minato-mirai-2026")
    out = StringIO()
    call_command("grant_role", "suzuki", "manager", "--create", "--email", "suzuki@example.jp", stdout=out)
    user = User.objects.get(username="suzuki")
    assert user.is_staff and not user.is_superuser and user.email == "suzuki@example.jp"
    assert user.check_password("Minato-mirai-2026") and user.has_perm("portal.view_dashboard")
    assert "ユーザー「suzuki」を作成しました" in out.getvalue() and "役割「管理職」を付与しました" in out.getvalue()
    with pytest.raises(CommandError, match="既に登録されています"):
        call_command("grant_role", "suzuki", "manager", "--create", stdout=StringIO())


@pytest.mark.django_db
def test_grant_role_asks_for_the_password_twice_at_a_terminal(monkeypatch):
    monkeypatch.delenv("PORTAL_USER_PASSWORD", raising=False)
    monkeypatch.setattr("sys.stdin.isatty", lambda: True)
    answers = iter(["Sakuragicho-2026", "Sakuragicho-2026", "Sakuragicho-2026", "Kannai-2026-x"])
    monkeypatch.setattr("getpass.getpass", lambda prompt: next(answers))
    call_command("grant_role", "sato", "入力担当", "--create", stdout=StringIO())
    assert User.objects.get(username="sato").check_password("Sakuragicho-2026")
    with pytest.raises(CommandError, match="一致しません"):
        call_command("grant_role", "kato", "入力担当", "--create", stdout=StringIO())
    assert not User.objects.filter(username="kato").exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("environment", "message"),
    [
        ({"PORTAL_USER_PASSWORD": "12345"}, "パスワードが条件を満たしません"),
        ({}, "環境変数 PORTAL_USER_PASSWORD に設定する"),
    ],
)
def test_grant_role_create_refuses_a_weak_or_missing_password(monkeypatch, environment, message):
    monkeypatch.delenv("PORTAL_USER_PASSWORD", raising=False)
    for name, value in environment.items():
        monkeypatch.setenv(name, value)
    monkeypatch.setattr("sys.stdin.isatty", lambda: False)
    with pytest.raises(CommandError, match=message):
        call_command("grant_role", "ito", "manager", "--create", stdout=StringIO())
    assert not User.objects.filter(username="ito").exists()


@pytest.mark.django_db
def test_grant_role_names_the_option_that_creates_a_missing_user():
    with pytest.raises(CommandError, match="--create を付けてください"):
        call_command("grant_role", "nobody", "manager", stdout=StringIO())
