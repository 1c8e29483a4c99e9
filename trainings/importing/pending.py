"""The models holding an uploaded file between the import's preview and its confirmation."""

from django.db import models


class PendingUpload(models.Model):
    """A file between an import's preview and its confirmation (import-export's temporary storage).

    Kept in the database so that whichever app server receives the confirmation can read it;
    removed when the import finishes or is cancelled, and purged when abandoned (see
    trainings.importing.tmp_storages). An upload's bytes are in its PendingUploadChunk rows (no
    step holds the whole file); `data` holds a small payload kept whole (a preview's plan,
    trainings.importing.prevalidated).
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


class PendingUploadChunk(models.Model):
    """One block (about 1 MB) of a PendingUpload's bytes, `number` giving the order from 0.

    Deleted with its upload (no signal listens to this model, so Django deletes the chunks with
    one DELETE without loading them).
    """

    upload = models.ForeignKey(PendingUpload, on_delete=models.CASCADE, related_name="chunks")
    number = models.PositiveIntegerField("順番")
    data = models.BinaryField("内容")

    affects_public_pages = False  # as PendingUpload

    class Meta:
        verbose_name = "取込待ちのファイルの断片"
        verbose_name_plural = "取込待ちのファイルの断片"
        constraints = [models.UniqueConstraint(fields=["upload", "number"], name="unique_pending_upload_chunk")]

    def __str__(self):
        return f"{self.upload_id}:{self.number}"
