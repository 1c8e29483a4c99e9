"""Cache bookkeeping: any change to the records behind the public pages starts a new data version.

No business logic here: the receivers only call core.public_cache.bump_data_version().
"""

from django.apps import apps
from django.db.models.signals import m2m_changed, post_delete, post_save

from core.public_cache import bump_data_version

# Every model of these apps can change what a public page or open-data file shows, except those
# that say otherwise with `affects_public_pages = False` (e.g. an import preview's stored upload).
PUBLIC_DATA_APPS = ("partners", "trainings", "outreach")


def records_changed(sender, **kwargs):
    """Receiver for post_save, post_delete and m2m_changed: bump the public data version."""
    if kwargs.get("action", "post_").startswith("pre_"):
        return
    bump_data_version()


def connect_public_data_receivers():
    """Connect records_changed to every model (and many-to-many table) of PUBLIC_DATA_APPS."""
    for label in PUBLIC_DATA_APPS:
        for model in apps.get_app_config(label).get_models():
            if not getattr(model, "affects_public_pages", True):
                continue
            post_save.connect(records_changed, sender=model, dispatch_uid=f"public-data-save-{model._meta.label}")
            post_delete.connect(records_changed, sender=model, dispatch_uid=f"public-data-delete-{model._meta.label}")
            for m2m in model._meta.local_many_to_many:
                through = m2m.remote_field.through
                m2m_changed.connect(
                    records_changed, sender=through, dispatch_uid=f"public-data-m2m-{through._meta.label}"
                )
