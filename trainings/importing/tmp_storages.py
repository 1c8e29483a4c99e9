"""Temporary storage for django-import-export that works with several app servers: the database.

The local temp folder (import-export's default) breaks as soon as the preview and the confirm
requests reach different servers; Django's default cache is per process. The database is
shared by every server and needs no extra setup (a migration creates the table).

The upload is stored in rows of CHUNK bytes (PendingUploadChunk), written from the uploaded file
block by block and read back one row at a time into a local temporary file for the confirm
(spooled()): no step holds the whole file, whose size only the upload limit bounds
(IMPORT_MAX_UPLOAD_MB; a 1,000,000-row sheet is about 95 MB).
"""

import datetime
import hashlib
import tempfile
from contextlib import contextmanager
from uuid import uuid4

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from import_export.tmp_storages import BaseStorage

from trainings.importing.sources import Source, as_source
from trainings.models import PendingUpload, PendingUploadChunk

CHUNK = 1 << 20  # bytes a row: a query of a few MB at most, whatever the file's size


def purge_abandoned_uploads(now=None):
    """Delete uploads older than IMPORT_PENDING_MAX_AGE_MINUTES (previews never confirmed); return how many.

    Their chunks go with them in one DELETE (not loaded). At most 3 queries.
    """
    limit = (now or timezone.now()) - datetime.timedelta(minutes=settings.IMPORT_PENDING_MAX_AGE_MINUTES)
    _, deleted = PendingUpload.objects.filter(created_at__lt=limit).delete()
    return deleted.get(PendingUpload._meta.label, 0)


class DatabaseStorage(BaseStorage):
    """Stores the uploaded bytes in PendingUpload under a random name, in chunks of CHUNK bytes."""

    def save(self, data):
        """Store `data` (bytes, text, or a trainings.importing.sources.Source read block by block) under self.name.

        Replaces what was stored under the name, in one transaction: a purge, 3 queries and one
        INSERT a chunk.
        """
        purge_abandoned_uploads()
        if not self.name:
            self.name = uuid4().hex
        if isinstance(data, str):
            data = data.encode(self.encoding or "utf-8")
        source = as_source(data)
        with transaction.atomic():
            upload, _ = PendingUpload.objects.update_or_create(name=self.name, defaults={"data": b""})
            PendingUploadChunk.objects.filter(upload=upload).delete()
            for number, block in enumerate(source.blocks(CHUNK)):
                PendingUploadChunk.objects.create(upload=upload, number=number, data=block)

    def blocks(self):
        """Yield the stored bytes one chunk at a time; FileNotFoundError once removed or purged.

        2 queries, then one a chunk (each chunk alone in memory).
        """
        stored = PendingUpload.objects.filter(name=self.name).values_list("pk", "data").first()
        if stored is None:
            raise FileNotFoundError(self.name)
        pk, data = stored
        chunks = PendingUploadChunk.objects.filter(upload_id=pk)
        numbers = list(chunks.order_by("number").values_list("number", flat=True))
        if not numbers and not data:  # removed meanwhile (an upload is never empty: the form refuses 0 bytes)
            raise FileNotFoundError(self.name)
        if data:  # stored whole (before chunks)
            yield bytes(data)
        for number in numbers:
            block = chunks.filter(number=number).values_list("data", flat=True).first()
            if block is None:  # removed meanwhile (cancelled, confirmed or purged elsewhere)
                raise FileNotFoundError(self.name)
            yield bytes(block)

    def read(self):
        """Return the stored bytes (text when opened in text mode); FileNotFoundError once removed or purged.

        Holds the whole file: the admin reads it with spooled() instead.
        """
        data = b"".join(self.blocks())
        return data if "b" in self.read_mode else data.decode(self.encoding or "utf-8")

    @contextmanager
    def spooled(self):
        """Yield a Source of the stored bytes, copied to a local temporary file removed on exit.

        The Source's `sha256` is that of the bytes read back (the confirm compares it with the
        preview's). FileNotFoundError once removed or purged. Queries as blocks().
        """
        digest = hashlib.sha256()
        with tempfile.NamedTemporaryFile(prefix="import-", suffix=".upload", dir=settings.FILE_UPLOAD_TEMP_DIR) as file:
            for block in self.blocks():
                digest.update(block)
                file.write(block)
            file.flush()
            yield Source(path=file.name, sha256=digest.hexdigest())

    def remove(self):
        """Delete the stored upload and its chunks: 3 queries (its row, then one DELETE each; no chunk is loaded)."""
        PendingUpload.objects.filter(name=self.name).delete()
