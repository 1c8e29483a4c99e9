import datetime
from pathlib import Path

import pytest
from django.contrib.auth.models import Permission, User

from partners.models import Bureau, Organization, Ward
from trainings.models import TrainingCategory, TrainingSession

DATA = Path(__file__).resolve().parent.parent / "data"


def data_file(name):
    """Return the bytes of a sample sheet in tests/data/."""
    return (DATA / name).read_bytes()


@pytest.fixture
def import_records(db):
    """Create the records the sample sheets in tests/data/ refer to; return the two sessions by name."""
    minami = Ward.objects.get(name="南区")
    Organization.objects.create(name="中村地域ケアプラザ", kind="care_plaza", ward=minami)
    Organization.objects.create(name="南区社会福祉協議会", kind="welfare_council", ward=minami)
    Bureau.objects.create(name="市民局", order=10)
    categories = {}
    for order, (code, name) in enumerate(
        [("ア", "地域まちづくり課主催研修"), ("イ", "出前塾"), ("ウ", "他局と連携した研修"), ("エ", "区役所向け研修")]
    ):
        categories[code] = TrainingCategory.objects.create(code=code, name=name, order=order)
    return {
        "seminar": TrainingSession.objects.create(
            date=datetime.date(2019, 5, 20),
            title="地域まちづくり支援制度活用研修",
            category=categories["ア"],
            headcount=1,  # typed in; the sample rosters are not partial (trainings.importing.counts)
        ),
        "outreach": TrainingSession.objects.create(
            date=datetime.date(2019, 6, 10), title="出前塾（中村地域ケアプラザ）", category=categories["イ"]
        ),
    }


@pytest.fixture
def clerk(db):
    """A data-entry user who may import (and view sessions for the session search)."""
    user = User.objects.create_user("nyuryoku", password="pw-for-tests-only", is_staff=True)
    codenames = ["import_attendancesheet", "view_attendancesheet", "view_trainingsession", "view_attendance"]
    user.user_permissions.set(Permission.objects.filter(codename__in=codenames))
    return user
