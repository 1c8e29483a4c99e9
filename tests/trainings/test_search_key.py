"""The folded name kept for searching (Attendance.search_key): written on every path, filled by the migration."""

from importlib import import_module
from types import SimpleNamespace

import pytest
from django.apps import apps
from django.db import connection

from trainings.models import Attendance
from trainings.names import name_search_key

NAMES = [
    "髙橋 一郎", "山﨑　花子", "渡邊健太郎", "ﾀﾅｶ ｼﾞﾛｳ", "ＳＭＩＴＨ　Ｊｏｈｎ",
    "德永𠮷男", "さいとう", "", "濵田\t次郎",
]  # fmt: skip


def test_save_and_the_bulk_writers_owner_write_the_search_key(make_session):
    session = make_session()
    saved = Attendance.objects.create(session=session, name="髙橋 一郎")
    [bulk] = Attendance.objects.bulk_create([Attendance(session=session, name="山﨑　花子").set_derived_fields()])
    assert saved.search_key == "高橋一郎"
    assert Attendance.objects.get(pk=bulk.pk).search_key == "山崎花子"


def test_the_migration_fills_the_search_key_as_the_model_writes_it(make_session):
    session = make_session()
    Attendance.objects.bulk_create([Attendance(session=session, name=name).set_derived_fields() for name in NAMES])
    Attendance.objects.update(search_key="")
    fill = import_module("trainings.migrations.0007_attendance_search_key").fill_search_keys
    if connection.vendor == "postgresql":
        with connection.schema_editor(atomic=False) as editor:  # the test's transaction undoes it
            fill(apps, editor)
    else:  # SQLite folds in Python and needs only the connection
        fill(apps, SimpleNamespace(connection=connection))
    stored = dict(Attendance.objects.values_list("name", "search_key"))
    assert stored == {name: name_search_key(name) for name in NAMES}
    assert stored["ﾀﾅｶ ｼﾞﾛｳ"] == "たなかじろう" and stored["ＳＭＩＴＨ　Ｊｏｈｎ"] == "smithjohn"


@pytest.mark.parametrize("name", NAMES)
def test_the_search_key_fits_its_column(name):
    assert len(name_search_key(name * 40)) <= Attendance._meta.get_field("search_key").max_length
