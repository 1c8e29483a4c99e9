"""A fingerprint of everything the portal stores, to prove that a refused or failed import changed nothing."""

import hashlib

from django.apps import apps
from django.contrib.auth import get_user_model

APPS = ("partners", "trainings", "outreach")


def database_state(exclude=()):
    """Return {table: (row count, SHA-256 of every row in key order)} for the portal's tables and users.

    `exclude` names models left out (e.g. PendingUpload, the admin's temporary copy of an upload;
    its PendingUploadChunk rows are then left out too).
    """
    from trainings.models import PendingUpload, PendingUploadChunk

    exclude = {*exclude, *((PendingUploadChunk,) if PendingUpload in exclude else ())}
    models = [m for label in APPS for m in apps.get_app_config(label).get_models()] + [get_user_model()]
    state = {}
    for model in models:
        if model in exclude:
            continue
        rows = list(model._base_manager.order_by("pk").values_list())
        state[model._meta.db_table] = (len(rows), hashlib.sha256(repr(rows).encode()).hexdigest())
    return state
