from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from outreach.models import ApproachCase
from partners.models import Organization
from portal import synthetic
from portal.selectors import yearly_summary
from trainings.models import Attendance, TrainingSession


def generate(*args):
    out = StringIO()
    call_command("generate_demo_data", "--scale", "small", *args, stdout=out)
    return out.getvalue()


def test_small_scale_creates_labelled_records_and_leaves_fy2018_alone(demo_data):
    spec = synthetic.SCALES["small"]
    generate()

    synthetic_sessions = TrainingSession.objects.filter(data_note=synthetic.SYNTHETIC)
    assert synthetic_sessions.count() == spec.sessions
    assert set(synthetic_sessions.values_list("fiscal_year", flat=True)) == set(spec.fiscal_years)
    assert all(title.endswith("（合成）") for title in synthetic_sessions.values_list("title", flat=True))
    assert Attendance.objects.filter(session__in=synthetic_sessions).count() == spec.attendances
    assert Organization.objects.filter(name__endswith="（合成）").count() == spec.organizations
    assert ApproachCase.objects.filter(data_note=synthetic.SYNTHETIC).count() == spec.cases
    summary = yearly_summary(fiscal_year=2018)
    assert (summary.sessions, summary.participants) == (48, 1820)


def test_attendance_is_skewed_few_large_many_small(demo_data):
    generate()
    sizes = sorted(
        (s.attendance_count for s in TrainingSession.objects.filter(data_note="合成データ").with_participant_counts()),
        reverse=True,
    )
    with_rows = [n for n in sizes if n]
    median = with_rows[len(with_rows) // 2]
    assert with_rows[0] > 5 * median


def test_same_seed_gives_the_same_records(demo_data):
    generate("--seed", "7")
    first = list(TrainingSession.objects.filter(data_note="合成データ").order_by("title").values_list("title", "date"))
    generate("--seed", "7", "--replace")
    again = list(TrainingSession.objects.filter(data_note="合成データ").order_by("title").values_list("title", "date"))
    assert first == again


def test_a_second_run_without_replace_is_refused(demo_data):
    generate()
    with pytest.raises(CommandError, match="--replace"):
        generate()


def test_replace_removes_only_synthetic_records(demo_data):
    generate()
    synthetic.remove_synthetic_data()
    assert not TrainingSession.objects.filter(data_note=synthetic.SYNTHETIC).exists()
    assert TrainingSession.objects.count() == 48
    assert Organization.objects.filter(name="中村地域ケアプラザ").exists()


def test_skewed_sizes_sum_to_the_total():
    import random

    sizes = synthetic.skewed_sizes(random.Random(1), 50, 1234)
    assert sum(sizes) == 1234 and min(sizes) >= 1


def test_generation_starts_a_new_public_data_version(demo_data):
    from core.public_cache import data_version

    before = data_version()[0]
    generate()
    assert data_version()[0] != before  # bulk inserts send no signals: the cached pages must not stay
