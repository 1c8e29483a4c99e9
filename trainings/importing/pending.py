"""The model holding an uploaded file between the import's preview and its confirmation."""

from django.db import models


class PendingUpload(models.Model):
    """A file between an import's preview and its confirmation (import-export's temporary storage).

    Kept in the database so that whichever app server receives the confirmation can read it;
    removed when the import finishes or is cancelled, and purged when abandoned (see
    trainings.importing.tmp_storages).
    """

    name = models.CharField("識別名", max_length=64)
    data = models.BinaryField("内容")
    created_at = models.DateTimeField("作成日時", auto_now_add=True, db_index=True)

    # A preview's temporary copy is not a record any public page shows: saving or removing it
    # must not start a new public data version (portal.signals reads this).
    affects_public_pages = False

    class Meta:
        verbose_name = "取込待ちのファイル"
        verbose_name_plural = "取込待ちのファイル"
        constraints = [models.UniqueConstraint(fields=["name"], name="unique_pending_upload_name")]

    def __str__(self):
        return self.name
