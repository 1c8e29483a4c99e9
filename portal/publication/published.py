"""What the public sees: the latest publication of each fiscal year, and the years' publication history."""

from portal.models import Publication
from portal.publication.figures import PublishedYear


def published_fiscal_years():
    """Return the fiscal years published at least once, newest first (one query)."""
    return Publication.objects.published_years()


def published_year(*, fiscal_year):
    """Return (PublishedYear, Publication) of `fiscal_year`'s latest publication, or (None, None). One query."""
    publication = Publication.objects.latest_for(fiscal_year)
    if publication is None:
        return None, None
    return PublishedYear(publication.figures), publication


def publication_history(*, fiscal_year):
    """Return the publications of `fiscal_year`, newest first, without their figures (one query)."""
    return list(Publication.objects.for_fiscal_year(fiscal_year).defer("figures"))


def latest_publications():
    """Return the latest Publication of every published year, newest year first (one query)."""
    latest = {}
    for publication in Publication.objects.order_by("-fiscal_year", "-published_at", "-pk"):
        latest.setdefault(publication.fiscal_year, publication)
    return list(latest.values())
