"""Benchmark of the attendance import: prints rows/s, ratios and peak memory (not a test).

    .venv/bin/python bench/import_benchmark.py                 # N = 5,000 and 100,000, plus the admin timings
    .venv/bin/python bench/import_benchmark.py --sizes 5000    # quicker

For each N it generates a CP932 CSV of N participant rows over 100 sessions (the "participants
of many sessions" kind: dates in five forms, furigana, roles, notes, a third of the organisations
unregistered; see generate()) and times, each in a fresh
process on a fresh SQLite database so that peak memory is per measurement:

  (a) project  – the project's path: read_sheet (encoding detection) + ParticipantsMultiResource
                 .import_data, i.e. full validation and the one-transaction write;
  (b) floor    – decode the CSV and bulk_create the same rows, no validation at all;
  (c) plain    – a plain import-export ModelResource for Attendance with default options
                 (its own CSV with session ids, since it cannot resolve dates and titles).

Then the admin: a 5,000-row sheet uploaded for preview and confirmed, through Django's test client.
Peak memory is the process's maximum resident set size (Python + Django + data).
"""

import argparse
import csv
import io
import json
import os
import random
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SESSIONS = 100
ORGANIZATIONS = [f"第{i}地域ケアプラザ" for i in range(1, 21)]
WARDS = ["鶴見区", "神奈川", "西区", "中区", "南", "保土ヶ谷区", "磯子区", "金沢区", "港北区", "戸塚区"]
# (name, reading) pairs; 30 × 30 names × 70 organisations give every row of a session its own
# person (name + organisation) up to 63,000 rows a session, and the same people come back across sessions.
SURNAMES = [
    ("佐藤", "さとう"),
    ("鈴木", "すずき"),
    ("髙橋", "たかはし"),
    ("田中", "たなか"),
    ("伊藤", "いとう"),
    ("渡辺", "わたなべ"),
    ("山本", "やまもと"),
    ("中村", "なかむら"),
    ("小林", "こばやし"),
    ("加藤", "かとう"),
    ("吉田", "よしだ"),
    ("山田", "やまだ"),
    ("佐々木", "ささき"),
    ("山口", "やまぐち"),
    ("松本", "まつもと"),
    ("井上", "いのうえ"),
    ("木村", "きむら"),
    ("林", "はやし"),
    ("斎藤", "さいとう"),
    ("清水", "しみず"),
    ("山﨑", "やまざき"),
    ("森", "もり"),
    ("池田", "いけだ"),
    ("橋本", "はしもと"),
    ("阿部", "あべ"),
    ("石川", "いしかわ"),
    ("山下", "やました"),
    ("中島", "なかじま"),
    ("石井", "いしい"),
    ("小川", "おがわ"),
]
GIVEN_NAMES = [
    ("一郎", "いちろう"),
    ("花子", "はなこ"),
    ("健太", "けんた"),
    ("美咲", "みさき"),
    ("翔", "しょう"),
    ("陽子", "ようこ"),
    ("誠", "まこと"),
    ("由美", "ゆみ"),
    ("大輔", "だいすけ"),
    ("恵子", "けいこ"),
    ("浩", "ひろし"),
    ("直美", "なおみ"),
    ("隆", "たかし"),
    ("真由美", "まゆみ"),
    ("修", "おさむ"),
    ("久美子", "くみこ"),
    ("剛", "つよし"),
    ("智子", "ともこ"),
    ("勝", "まさる"),
    ("幸子", "さちこ"),
    ("亮", "りょう"),
    ("愛", "あい"),
    ("茂", "しげる"),
    ("明美", "あけみ"),
    ("昭", "あきら"),
    ("節子", "せつこ"),
    ("稔", "みのる"),
    ("和子", "かずこ"),
    ("進", "すすむ"),
    ("洋子", "ようこ"),
]
TOWNS = ["本町", "栄町", "緑が丘", "桜台", "港南台", "日吉", "希望が丘", "中山", "上大岡", "青葉台"]
# Organisations the portal does not know (they stay as written, 所属（記載どおり）).
UNREGISTERED = [f"{town}{kind}" for kind in ("町内会", "自治会", "子ども会", "老人クラブ", "防災会") for town in TOWNS]
ROLES = ["", "", "会長", "副会長", "民生委員", "事務局", "職員", "ボランティア"]
NOTES = {7: "途中退席", 11: "代理出席", 13: "車いす利用（介助者同伴）", 17: "次回も参加希望"}
KATAKANA = str.maketrans({chr(code): chr(code + 0x60) for code in range(0x3041, 0x3097)})


def session_title(i):
    return f"地域まちづくり研修 第{i + 1}回"


def session_date(i):
    import datetime

    return datetime.date(2019, 5, 1) + datetime.timedelta(days=i)


def date_text(date, i):
    # Mixed ways of writing dates, as typed by different staff.
    reiwa = date.year - 2018
    forms = (
        f"{date.year}/{date.month}/{date.day}",
        f"令和元年{date.month}月{date.day}日" if reiwa == 1 else f"令和{reiwa}年{date.month}月{date.day}日",
        f"{date.year}年{date.month:>2}月{date.day}日".translate(str.maketrans("0123456789", "０１２３４５６７８９")),
        f"R{reiwa}.{date.month}.{date.day}",
        date.isoformat(),
    )
    return forms[i % len(forms)]


def participant(i):
    """Return (氏名, ふりがな, 所属, 役職, 備考) of row i: readings in hiragana, every fourth in katakana."""
    k = i // SESSIONS  # the row's place within its session
    (surname, s_kana), (given, g_kana) = SURNAMES[k % 30], GIVEN_NAMES[(k // 30) % 30]
    organizations = ORGANIZATIONS + UNREGISTERED
    organization = organizations[(k // 900 + i) % len(organizations)]
    kana = f"{s_kana} {g_kana}"
    if i % 4 == 3:
        kana = kana.translate(KATAKANA)
    note = next((text for step, text in NOTES.items() if i % step == step - 1), "")
    return f"{surname} {given}", kana, organization, ROLES[i % len(ROLES)], note


def generate(n, folder):
    """Write the project's CP932 sheet and the plain resource's CSV for n rows; return their paths.

    The sheet is the "participants of many sessions" kind: 開催日 in five forms (西暦, 和暦, full-width
    digits, R1.5.1, ISO), 研修名, No., 氏名, ふりがな (hiragana or katakana), 所属 (a third of them
    organisations the portal does not know), 区 (written several ways), 役職 and 備考 (some rows).
    """
    rng = random.Random(n)
    project = io.StringIO()
    plain = io.StringIO()
    pw = csv.writer(project, lineterminator="\r\n")
    cw = csv.writer(plain, lineterminator="\r\n")
    pw.writerow(["開催日", "研修名", "No.", "氏名", "ふりがな", "所属", "区", "役職", "備考"])
    cw.writerow(["id", "session", "row_number", "name", "name_kana", "organization_text", "role", "note"])
    for i in range(n):
        s = i % SESSIONS
        name, kana, org, role, note = participant(i)
        pw.writerow(
            [date_text(session_date(s), i), session_title(s), i + 1, name, kana, org, rng.choice(WARDS), role, note]
        )
        cw.writerow(["", s + 1, i + 2, name, kana, org, role, note])
    paths = (folder / f"sheet_{n}.csv", folder / f"plain_{n}.csv")
    paths[0].write_bytes(project.getvalue().encode("cp932"))
    paths[1].write_bytes(plain.getvalue().encode("utf-8"))
    return paths


def setup_django(db_path):
    os.environ["DATABASE_URL"] = f"sqlite:///{db_path}"
    os.environ.setdefault("SECRET_KEY", "benchmark-only-not-secret")
    os.environ["ALLOWED_HOSTS"] = "testserver"
    os.environ.pop("DEBUG", None)  # DEBUG would record every query
    sys.path.insert(0, str(ROOT))
    os.environ["DJANGO_SETTINGS_MODULE"] = "portal.settings"
    import django

    django.setup()


def make_template_db(path):
    """Migrate a SQLite file and add the organisations and the 100 sessions the sheets refer to."""
    setup_django(path)
    from django.core.management import call_command

    from partners.models import Organization
    from trainings.models import TrainingSession

    call_command("migrate", verbosity=0)
    Organization.objects.bulk_create([Organization(name=name, kind="care_plaza") for name in ORGANIZATIONS])
    TrainingSession.objects.bulk_create(
        [TrainingSession(date=session_date(i), title=session_title(i)).set_derived_fields() for i in range(SESSIONS)]
    )


def peak_mb():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def phase_project(sheet_path, plain_path):
    from trainings.importing.participants import ParticipantsMultiResource
    from trainings.importing.sheets import read_sheet

    data = sheet_path.read_bytes()
    start = time.perf_counter()
    result = ParticipantsMultiResource().import_data(read_sheet(data, sheet_path.name))
    elapsed = time.perf_counter() - start
    assert result.sheet_record is not None, result.plan.base_errors + result.plan.errors[:5]
    return elapsed, result.sheet_record.row_count


def phase_floor(sheet_path, plain_path):
    from trainings.models import Attendance, TrainingSession

    data = sheet_path.read_bytes()
    start = time.perf_counter()
    sessions = {(s.date, s.title): s.pk for s in TrainingSession.objects.all()}
    by_title = {title: pk for (_, title), pk in sessions.items()}
    reader = csv.reader(io.StringIO(data.decode("cp932")))
    next(reader)
    rows = [
        Attendance(session_id=by_title[r[1]], row_number=line, name=r[3], name_kana=r[4], organization_text=r[5])
        for line, r in enumerate(reader, start=2)
    ]
    Attendance.objects.bulk_create(rows, batch_size=2000)
    elapsed = time.perf_counter() - start
    return elapsed, Attendance.objects.count()


def phase_plain(sheet_path, plain_path):
    import tablib
    from import_export import resources

    from trainings.models import Attendance

    class PlainAttendanceResource(resources.ModelResource):
        class Meta:
            model = Attendance

    data = plain_path.read_bytes()
    start = time.perf_counter()
    dataset = tablib.Dataset().load(data.decode("utf-8"), format="csv")
    result = PlainAttendanceResource().import_data(dataset, dry_run=False)
    elapsed = time.perf_counter() - start
    assert not result.has_errors() and not result.has_validation_errors()
    return elapsed, Attendance.objects.count()


def phase_admin(sheet_path, plain_path):
    from django.conf import settings
    from django.test import override_settings

    # No collectstatic here: plain static names instead of the production manifest.
    plain_static = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    with override_settings(STORAGES=plain_static):
        return _admin_requests(sheet_path)


def _admin_requests(sheet_path):
    from django.contrib.auth.models import User
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.test import Client
    from django.urls import reverse

    from trainings.models import Attendance

    client = Client()
    client.force_login(User.objects.create_superuser("bench", password=None))
    data = sheet_path.read_bytes()
    start = time.perf_counter()
    preview = client.post(
        reverse("admin:trainings_attendancesheet_import"),
        {"kind": "auto", "import_file": SimpleUploadedFile(sheet_path.name, data)},
        secure=True,  # production settings redirect plain HTTP to HTTPS (an empty 301 page)
    )
    preview_seconds = time.perf_counter() - start
    page = preview.content.decode()
    assert preview.status_code == 200 and 'name="_confirm"' in page, (preview.status_code, page[:3000])
    # The confirmation form's hidden fields, as the browser would send them back.
    confirm = dict(re.findall(r'<input type="hidden" name="(\w+)" value="([^"]*)"', page))
    start = time.perf_counter()
    done = client.post(
        reverse("admin:trainings_attendancesheet_process_import"), {**confirm, "_confirm": "1"}, secure=True
    )
    confirm_seconds = time.perf_counter() - start
    assert done.status_code == 302
    return (preview_seconds, confirm_seconds), Attendance.objects.count()


PHASES = {"project": phase_project, "floor": phase_floor, "plain": phase_plain, "admin": phase_admin}


def child(args):
    if args.phase == "template":
        return make_template_db(args.db)
    setup_django(args.db)
    seconds, rows = PHASES[args.phase](Path(args.sheet), Path(args.plain))
    print(json.dumps({"seconds": seconds, "rows": rows, "peak_mb": peak_mb()}))


def run_child(phase, template, sheet, plain, workdir):
    db = workdir / f"{phase}.sqlite3"
    shutil.copyfile(template, db)
    command = [
        sys.executable,
        __file__,
        "--phase",
        phase,
        "--db",
        str(db),
        "--sheet",
        str(sheet),
        "--plain",
        str(plain),
    ]
    out = subprocess.run(command, capture_output=True, text=True, check=False)  # noqa: S603 - our own script
    db.unlink()
    if out.returncode:
        sys.exit(f"{phase} failed:\n{out.stderr[-3000:]}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[5_000, 100_000])
    parser.add_argument(
        "--admin-rows", type=int, default=5_000, help="rows of the admin preview/confirm sheet (0: skip)"
    )
    parser.add_argument("--phase", choices=[*PHASES, "template"], help=argparse.SUPPRESS)
    parser.add_argument("--db", help=argparse.SUPPRESS)
    parser.add_argument("--sheet", help=argparse.SUPPRESS)
    parser.add_argument("--plain", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.phase:
        return child(args)

    with tempfile.TemporaryDirectory(prefix="import-bench-") as tmp:
        workdir = Path(tmp)
        template = workdir / "template.sqlite3"
        make = [sys.executable, __file__, "--phase", "template", "--db", str(template)]
        subprocess.run(make, check=True)  # noqa: S603 - our own script
        print(f"SQLite, Python {sys.version.split()[0]}, {os.cpu_count()} CPU(s); CP932 CSV, {SESSIONS} sessions")
        print(f"{'N':>8} | {'path':<8} | {'seconds':>8} | {'rows/s':>9} | {'peak MB':>7}")
        print("-" * 52)
        for n in args.sizes:
            sheet, plain = generate(n, workdir)
            figures = {}
            for phase in ("project", "floor", "plain"):
                figures[phase] = run_child(phase, template, sheet, plain, workdir)
                f = figures[phase]
                assert f["rows"] == n, (phase, f["rows"], n)
                rate = n / f["seconds"]
                print(f"{n:>8,} | {phase:<8} | {f['seconds']:>8.2f} | {rate:>9,.0f} | {f['peak_mb']:>7.0f}", flush=True)
            a = n / figures["project"]["seconds"]
            b = n / figures["floor"]["seconds"]
            c = n / figures["plain"]["seconds"]
            print(f"{'':>8} | ratio a/b (project vs floor) = {a / b:.2f}; c/a (plain vs project) = {c / a:.3f}")
        if args.admin_rows:
            sheet, plain = generate(args.admin_rows, workdir)
            f = run_child("admin", template, sheet, plain, workdir)
            preview, confirm = f["seconds"]
            print(
                f"admin, {args.admin_rows:,} rows: preview {preview:.2f} s, confirm {confirm:.2f} s, "
                f"peak {f['peak_mb']:.0f} MB"
            )


if __name__ == "__main__":
    main()
