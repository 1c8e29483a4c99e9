"""The record of each imported sheet (who, when, which file), which owns the rows it brought."""

from django.conf import settings
from django.db import models

from core.history import audit_history


class SheetKind(models.TextChoices):
    PARTICIPANTS = "participants", "1研修の出席者名簿"
    PARTICIPANTS_MULTI = "participants_multi", "複数研修の出席者名簿"
    SESSIONS = "sessions", "研修一覧（参加者数）"


class AttendanceSheet(models.Model):
    """One uploaded sheet (CSV/XLSX). Deleting it removes exactly the rows it brought."""

    kind = models.CharField("種類", max_length=30, choices=SheetKind.choices, default=SheetKind.PARTICIPANTS)
    file_name = models.CharField("ファイル名", max_length=255)
    sha256 = models.CharField("SHA-256", max_length=64)
    session = models.ForeignKey(
        "trainings.TrainingSession",
        verbose_name="対象の研修",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="sheets",
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="取込者",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="attendance_sheets",
    )
    uploaded_at = models.DateTimeField("取込日時", auto_now_add=True)
    row_count = models.PositiveIntegerField("行数", default=0)

    # Keeps the import record (who, when, which file) even after the sheet is deleted or replaced.
    history = audit_history("出席者名簿の取込")

    class Meta:
        verbose_name = "出席者名簿の取込"
        verbose_name_plural = "出席者名簿の取込"
        ordering = ["-uploaded_at"]
        # IMPORT_EXPORT_IMPORT_PERMISSION_CODE = "import": only holders of this may import sheets.
        permissions = [("import_attendancesheet", "名簿・研修一覧を取り込める")]
        constraints = [
            models.UniqueConstraint(
                fields=["sha256"],
                name="unique_sheet_sha256",
                violation_error_message="同じ内容のファイルは既に取り込まれています。",
            ),
        ]

    def __str__(self):
        return f"{self.file_name}（{self.uploaded_at:%Y-%m-%d %H:%M}）" if self.uploaded_at else self.file_name
