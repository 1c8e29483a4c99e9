"""The open-data page and its downloads (CSV with BOM, JSON), with ETag and Last-Modified."""

from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import condition

from core.public_cache import cached_public_page, download_etag, download_last_modified
from portal.public import opendata
from portal.public.event_list import EVENT_LIST_EDITION, WITHHELD_REASON
from portal.publication.published import latest_publications, published_year

CONTENT_TYPES = {"csv": "text/csv; charset=utf-8", "json": "application/json; charset=utf-8"}


@cached_public_page
def index(request):
    """The open-data page: licence, every published year's downloads (with the rows withheld), column meanings."""
    years = [
        {"fiscal_year": p.fiscal_year, "publication": p, "event_withheld": p.figures.get("event_withheld", 0)}
        for p in latest_publications()
    ]
    return render(
        request,
        "opendata/index.html",
        {
            "datasets": list(opendata.DATASETS.values()),
            "years": years,
            "opendata": opendata,
            "event_list_edition": EVENT_LIST_EDITION,
            "withheld_reason": WITHHELD_REASON,
        },
    )


def _dataset(name, fmt, per_year):
    dataset = opendata.DATASETS.get(name)
    if dataset is None or dataset.per_year != per_year or fmt not in dataset.formats:
        raise Http404("そのファイルはありません。")
    return dataset


def _download(request, dataset, fmt, fiscal_year=None):
    base_url = request.build_absolute_uri("/").rstrip("/")
    if dataset.per_year:
        # A year's files are those of its latest publication; a year never published has none.
        published, _ = published_year(fiscal_year=fiscal_year)
        if published is None:
            raise Http404("この年度のデータはまだ公開されていません。")
        rows = published.file_rows(dataset.name, base_url)
    else:
        rows = dataset.rows(fiscal_year, base_url)
    body = opendata.to_csv(dataset, rows) if fmt == "csv" else opendata.to_json(dataset, rows, fiscal_year)
    response = HttpResponse(body, content_type=CONTENT_TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="{dataset.file_name(fmt, fiscal_year)}"'
    response["Cache-Control"] = "public, max-age=0, must-revalidate"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@condition(etag_func=download_etag, last_modified_func=download_last_modified)
def yearly_file(request, fiscal_year, name, fmt):
    """One published fiscal year's dataset `name` as CSV or JSON, as last published (404 if never published)."""
    return _download(request, _dataset(name, fmt, per_year=True), fmt, fiscal_year)


@condition(etag_func=download_etag, last_modified_func=download_last_modified)
def dataset_file(request, name, fmt):
    """A dataset that is not split by year (the published cases) as CSV or JSON."""
    return _download(request, _dataset(name, fmt, per_year=False), fmt)
