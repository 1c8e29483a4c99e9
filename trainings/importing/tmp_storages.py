"""Temporary storage for django-import-export that works with several app servers: the database.

The local temp folder (import-export's default) breaks as soon as the preview and the confirm
requests reach different servers; Django's default cache is per process. The database is
shared by every server and needs no extra setup (a migration creates the table).
"""

import datetime
from uuid import uuid4

from django.conf import settings
from django.utils import timezone
from import_export.tmp_storages import BaseStorage

from trainings.models import PendingUpload


def purge_abandoned_uploads(now=None):
    """Delete uploads older than IMPORT_PENDING_MAX_AGE_MINUTES (previews never confirmed); return how many."""
    limit = (now or timezone.now()) - datetime.timedelta(minutes=settings.IMPORT_PENDING_MAX_AGE_MINUTES)
    deleted, _ = PendingUpload.objects.filter(created_at__lt=limit).delete()
    return deleted


class DatabaseStorage(BaseStorage):
    """Stores the uploaded bytes in PendingUpload under a random name."""

    def save(self, data):
        purge_abandoned_uploads()
        if not self.name:
            self.name = uuid4().hex
        if isinstance(data, str):
            data = data.encode(self.encoding or "utf-8")
        PendingUpload.objects.update_or_create(name=self.name, defaults={"data": bytes(data)})

    def read(self):
        """Return the stored bytes (text when opened in text mode); FileNotFoundError once removed or purged."""
        data = PendingUpload.objects.filter(name=self.name).values_list("data", flat=True).first()
        if data is None:
            raise FileNotFoundError(self.name)
        data = bytes(data)
        return data if "b" in self.read_mode else data.decode(self.encoding or "utf-8")

    def remove(self):
        PendingUpload.objects.filter(name=self.name).delete()
