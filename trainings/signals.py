"""Fixture loads set the derived columns too: loaddata saves raw, without calling save()."""

from django.db.models.signals import pre_save
from django.dispatch import receiver

from trainings.models import Attendance, TrainingSession


@receiver(pre_save, sender=TrainingSession, dispatch_uid="trainings_session_derived_on_load")
@receiver(pre_save, sender=Attendance, dispatch_uid="trainings_attendance_derived_on_load")
def set_derived_fields_on_load(sender, instance, raw=False, **kwargs):
    """Recompute a fixture's derived columns (its stored values may be stale) by their one owner."""
    if raw:
        instance.set_derived_fields()
