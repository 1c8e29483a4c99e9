"""Which saves start a new public data version (portal.signals)."""

import datetime

from core.public_cache import data_version
from trainings.models import PendingUpload, TrainingSession


def test_saving_a_session_starts_a_new_data_version(db):
    before = data_version()
    TrainingSession.objects.create(title="研修", date=datetime.date(2018, 6, 1))
    assert data_version() != before


def test_a_stored_upload_of_a_preview_leaves_the_data_version_alone(db):
    before = data_version()
    upload = PendingUpload.objects.create(name="preview-1", data=b"x")
    upload.delete()
    assert data_version() == before
