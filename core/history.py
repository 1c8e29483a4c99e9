"""Audit history of the records (django-simple-history): who changed what, and when.

Every tracked model declares `history = audit_history("…")`. The historical tables live in the
`portal` app (portal_historical…), so the record apps' migrations and their JSON backups stay
as they were; the tables are in the database and in every `pg_dump`.
"""

from simple_history.models import HistoricalRecords

HISTORY_APP = "portal"


def audit_history(label, **options):
    """Return the HistoricalRecords field for a model whose records are called `label` (Japanese)."""
    return HistoricalRecords(
        app=HISTORY_APP,
        verbose_name=f"{label}の変更履歴",
        verbose_name_plural=f"{label}の変更履歴",
        **options,
    )


def record_baseline(models):
    """Give every record of `models` that has no history yet a first version; return how many were added.

    Records loaded by loaddata (or written before the history existed) have no version to compare
    their first change with; after this the history page shows what that change was.
    """
    added = 0
    for model in models:
        missing = list(model._default_manager.exclude(pk__in=model.history.values("id")))
        model.history.bulk_history_create(missing, batch_size=2000)
        added += len(missing)
    return added
