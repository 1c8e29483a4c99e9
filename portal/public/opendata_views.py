"""The open-data page and its downloads (CSV with BOM, JSON), with ETag and Last-Modified."""

from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import condition

from core.public_cache import cached_public_page, download_etag, download_last_modified
from portal import selectors
from portal.public import opendata

CONTENT_TYPES = {"csv": "text/csv; charset=utf-8", "json": "application/json; charset=utf-8"}


@cached_public_page
def index(request):
    """The open-data page: licence, every download by fiscal year, and what each column means."""
    return render(
        request,
        "opendata/index.html",
        {
            "datasets": list(opendata.DATASETS.values()),
            "years": selectors.public_fiscal_years(),
            "opendata": opendata,
        },
    )


def _dataset(name, fmt, per_year):
    dataset = opendata.DATASETS.get(name)
    if dataset is None or dataset.per_year != per_year or fmt not in dataset.formats:
        raise Http404("そのファイルはありません。")
    return dataset


def _download(request, dataset, fmt, fiscal_year=None):
    base_url = request.build_absolute_uri("/").rstrip("/")
    rows = dataset.rows(fiscal_year, base_url)
    body = opendata.to_csv(dataset, rows) if fmt == "csv" else opendata.to_json(dataset, rows, fiscal_year)
    response = HttpResponse(body, content_type=CONTENT_TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="{dataset.file_name(fmt, fiscal_year)}"'
    response["Cache-Control"] = "public, max-age=0, must-revalidate"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@condition(etag_func=download_etag, last_modified_func=download_last_modified)
def yearly_file(request, fiscal_year, name, fmt):
    """One fiscal year's dataset `name` as CSV or JSON (header only / no records for a year without data)."""
    return _download(request, _dataset(name, fmt, per_year=True), fmt, fiscal_year)


@condition(etag_func=download_etag, last_modified_func=download_last_modified)
def dataset_file(request, name, fmt):
    """A dataset that is not split by year (the published cases) as CSV or JSON."""
    return _download(request, _dataset(name, fmt, per_year=False), fmt)
