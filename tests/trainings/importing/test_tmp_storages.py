"""The admin's pending upload in the database, in chunks (trainings.importing.tmp_storages)."""

import datetime
import hashlib
import os
import random
import tracemalloc
from pathlib import Path

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from core.public_cache import data_version
from trainings.importing.sources import Source
from trainings.importing.tmp_storages import CHUNK, DatabaseStorage, purge_abandoned_uploads
from trainings.models import PendingUpload, PendingUploadChunk

pytestmark = pytest.mark.django_db


def storage(name=None):
    return DatabaseStorage(name=name, read_mode="rb", encoding=None)


def some_bytes(size):
    return random.Random(size).randbytes(size)


def test_an_upload_is_stored_in_chunks_and_read_back_identical(tmp_path):
    data = some_bytes(2 * CHUNK + 12_345)  # not a whole number of chunks
    path = tmp_path / "名簿.csv"
    path.write_bytes(data)
    stored = storage()
    stored.save(Source(path=path))
    upload = PendingUpload.objects.get(name=stored.name)
    assert upload.data in (b"", memoryview(b""))  # the bytes are in the chunks only
    assert list(upload.chunks.order_by("number").values_list("number", flat=True)) == [0, 1, 2]
    assert storage(stored.name).read() == data
    with storage(stored.name).spooled() as source:
        assert Path(source.path).read_bytes() == data
        assert source.sha256 == hashlib.sha256(data).hexdigest()
        copy = source.path
    assert not os.path.exists(copy)  # the local copy goes when the request is answered


def test_saving_again_replaces_the_chunks():
    stored = storage()
    stored.save(some_bytes(CHUNK + 1))
    stored.save(b"short")
    assert storage(stored.name).read() == b"short"
    assert PendingUploadChunk.objects.count() == 1


def test_an_upload_stored_whole_before_chunks_is_still_read():
    PendingUpload.objects.create(name="before-chunks", data=b"kaisaibi,kenshumei\r\n")
    assert storage("before-chunks").read() == b"kaisaibi,kenshumei\r\n"


def test_a_removed_upload_is_gone_with_its_chunks_without_loading_them():
    stored = storage()
    stored.save(some_bytes(3 * CHUNK))
    with CaptureQueriesContext(connection) as queries:
        stored.remove()
    assert not PendingUpload.objects.exists() and not PendingUploadChunk.objects.exists()
    assert not any("SELECT" in q["sql"] and "pendinguploadchunk" in q["sql"] for q in queries.captured_queries)
    with pytest.raises(FileNotFoundError):
        storage(stored.name).read()
    with pytest.raises(FileNotFoundError), storage(stored.name).spooled():
        pass


def test_an_upload_whose_chunks_went_meanwhile_is_gone():
    stored = storage()
    stored.save(b"kaisaibi\r\n")
    PendingUploadChunk.objects.all().delete()
    with pytest.raises(FileNotFoundError):
        storage(stored.name).read()


def test_abandoned_uploads_are_purged_with_their_chunks(settings):
    old, recent = storage(), storage()
    old.save(some_bytes(CHUNK + 1))
    recent.save(b"recent")
    PendingUpload.objects.filter(name=old.name).update(
        created_at=timezone.now() - datetime.timedelta(minutes=settings.IMPORT_PENDING_MAX_AGE_MINUTES + 1)
    )
    assert purge_abandoned_uploads() == 1  # uploads, not chunks
    assert list(PendingUpload.objects.values_list("name", flat=True)) == [recent.name]
    assert PendingUploadChunk.objects.count() == 1
    assert storage(recent.name).read() == b"recent"


def test_storing_and_removing_an_upload_leaves_the_data_version_alone():
    before = data_version()
    stored = storage()
    stored.save(some_bytes(CHUNK + 1))
    stored.remove()
    assert data_version() == before


def test_a_stored_upload_is_never_whole_in_memory(tmp_path):
    size = 24 * CHUNK
    data = some_bytes(size)
    path = tmp_path / "大きな名簿.csv"
    path.write_bytes(data)
    expected = hashlib.sha256(data).hexdigest()
    del data
    stored = storage()
    tracemalloc.start()
    try:
        stored.save(Source(path=path))
        with storage(stored.name).spooled() as source:
            sha256 = source.sha256
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert sha256 == expected
    # One chunk and its copies at a time (with the query's hex text on PostgreSQL, about 7 chunks) whatever
    # the file's size; stored as one value, an 8 MB file took 48 MB more on PostgreSQL, its read-back 8 MB.
    assert peak < 10 * CHUNK, f"peak {peak / 2**20:.1f} MB"
    print(f"storage peak {peak / 2**20:.1f} MB for {size / 2**20:.0f} MB")
