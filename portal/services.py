"""Writes of the portal floor: publishing a fiscal year's figures (決裁)."""

import json
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction

from core.public_cache import bump_data_version, cached_figures
from portal.models import Publication
from portal.publication.changes import figure_changes
from portal.publication.figures import live_figures
from portal.roles import PUBLISH_PERMISSION


def current_figures(fiscal_year):
    """Return the live public figures of `fiscal_year` as they would be stored (JSON round trip).

    Computed once per data version (core.public_cache.cached_figures), so a dashboard view after
    no change costs no query here.
    """

    def build():
        return json.loads(json.dumps(live_figures(fiscal_year=fiscal_year), cls=DjangoJSONEncoder))

    return cached_figures(f"publication:live:{fiscal_year}", build)


@dataclass(frozen=True)
class PublicationState:
    """A year's latest publication (None if never published) and what the records changed since."""

    fiscal_year: int
    latest: Publication | None
    changes: list  # of portal.publication.changes.Change
    differs: bool  # the live figures differ from the published ones (or the year was never published)

    @property
    def is_published(self):
        return self.latest is not None


def publication_state(*, fiscal_year):
    """Return the PublicationState of `fiscal_year`: its latest publication beside the live figures."""
    latest = Publication.objects.latest_for(fiscal_year)
    if latest is None:
        # Never published: nothing to compare, so the live figures (ten queries) are not built.
        return PublicationState(fiscal_year, None, [], True)
    changes = figure_changes(latest.figures, current_figures(fiscal_year))
    return PublicationState(fiscal_year, latest, changes, bool(changes))


def publish_fiscal_year(*, fiscal_year, user=None, note=""):
    """Freeze the public figures of `fiscal_year` as a new Publication by `user`; return it.

    `user` must hold portal.publish_fiscal_year (None only for the demo loader and scripts).
    Earlier publications are kept. The public data version is bumped, so cached pages and files
    show the new figures at once. Raises PermissionDenied for a user without the permission.
    """
    if user is not None and not user.has_perm(PUBLISH_PERMISSION):
        raise PermissionDenied("年度の数値を公開する権限がありません（管理職の役割が必要です）。")
    with transaction.atomic():
        previous = Publication.objects.select_for_update().filter(fiscal_year=fiscal_year).first()
        figures = json.loads(json.dumps(live_figures(fiscal_year=fiscal_year), cls=DjangoJSONEncoder))
        previous = Publication.objects.latest_for(fiscal_year) if previous else None
        changes = figure_changes(previous.figures, figures) if previous else []
        publication = Publication.objects.create(
            fiscal_year=fiscal_year,
            published_by=user,
            figures=figures,
            changes=[change.as_list() for change in changes],
            note=note.strip(),
        )
        bump_data_version()
    return publication
