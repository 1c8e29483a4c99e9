"""What an import plan keeps (trainings.importing.plans): bounded lists whatever the sheet's size."""

from io import StringIO

from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse

from trainings.importing.plans import CappedCounter
from trainings.models import Attendance


def test_a_capped_counter_keeps_the_first_names_and_counts_the_rows_of_the_others(monkeypatch):
    monkeypatch.setattr(CappedCounter, "LIMIT", 3)
    names = CappedCounter()
    for name in ["a", "b", "a", "c", "d", "e", "d", "c"]:
        names[name] += 1
    assert dict(names) == {"a": 2, "b": 1, "c": 2}
    assert names.more_rows == 3  # d, e, d
    assert names.more_text == "ほかにも 3行が、上の3件にない名前です（一覧は最初の3件まで）。"
    assert CappedCounter({"x": 1}).more_text == ""


def unregistered_sheet(rows):
    """Return a CP932 CSV (CRLF) of `rows` participants, each from another unregistered organisation."""
    lines = ["開催日,研修名,氏名,所属"]
    lines += [f"2019/5/20,地域まちづくり支援制度活用研修,受講者 {i:05d},未登録の会{i:05d}" for i in range(rows)]
    return ("\r\n".join(lines) + "\r\n").encode("cp932")


def test_unregistered_organisations_past_the_limit_are_counted_not_listed(import_records, tmp_path, monkeypatch):
    monkeypatch.setattr(CappedCounter, "LIMIT", 5)
    path = tmp_path / "未登録の所属.csv"
    path.write_bytes(unregistered_sheet(12))
    out = StringIO()
    call_command("import_attendance", str(path), "--kind", "participants_multi", stdout=out)
    listed = [line for line in out.getvalue().splitlines() if line.startswith("登録されていない所属")]
    assert listed[:5] == [f"登録されていない所属（記載どおり保存）: 未登録の会{i:05d}（1行）" for i in range(5)]
    assert listed[5:] == [
        "登録されていない所属（記載どおり保存）: ほかにも 7行が、上の5件にない名前です（一覧は最初の5件まで）。"
    ]
    # Every row is stored with its organisation as written, listed or not.
    assert Attendance.objects.filter(organization_text="未登録の会00011", organization=None).exists()


def test_the_admin_preview_says_how_many_rows_name_organisations_not_listed(client, clerk, import_records, monkeypatch):
    monkeypatch.setattr(CappedCounter, "LIMIT", 5)
    client.force_login(clerk)
    upload = SimpleUploadedFile("未登録の所属.csv", unregistered_sheet(12))
    shown = client.post(reverse("admin:trainings_attendancesheet_import"), {"kind": "auto", "import_file": upload})
    assert shown.status_code == 200
    assert len(shown.context["unmatched"]) == 5
    assert "ほかにも 7行が、上の5件にない名前です" in shown.content.decode()
