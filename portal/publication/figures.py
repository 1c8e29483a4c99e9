"""A fiscal year's public figures as plain data: what the public pages and the open-data files show.

live_figures() builds them from the records (through portal.selectors and the open-data row
builders); a Publication stores them as JSON, and PublishedYear reads them back for the public
pages, so that a published year looks the same whether it is read live or frozen.
"""

from dataclasses import asdict, dataclass
from types import SimpleNamespace

from django.urls import reverse

from portal import selectors
from portal.public import opendata
from portal.public.event_list import event_list
from portal.selectors.summary import CategoryRow, YearlySummary

FORMAT = 1


def live_figures(*, fiscal_year):
    """Return the public figures of `fiscal_year` computed now from the records (a JSON-able dict).

    URLs inside the file rows are paths (the site's address is added when a file is served).
    """
    summary = selectors.yearly_summary(fiscal_year=fiscal_year)
    reported_total, reported = selectors.reported_figures(fiscal_year=fiscal_year)
    # Facts only: a ward or headcount assumed for the demo is never published (core.illustrative).
    wards = selectors.public_ward_breakdown(fiscal_year=fiscal_year)
    collaborations = selectors.collaborations(fiscal_year=fiscal_year)
    event_rows, withheld = event_list(fiscal_year)
    return {
        "format": FORMAT,
        "fiscal_year": fiscal_year,
        "summary": {
            "sessions": summary.sessions,
            "participants": summary.participants,
            "sessions_without_count": summary.sessions_without_count,
            "categories": [asdict(row) | {"category_id": None} for row in summary.categories],
        },
        "wards": [
            {
                "code": w.code,
                "name": w.name,
                "sessions": w.sessions,
                "participants": w.participants,
                "sessions_without_count": w.sessions_without_count,
                "attendees_from_ward": w.attendees_from_ward,
            }
            for w in wards
        ],
        "collaborations": [{"bureau": c.bureau.name, "description": c.description} for c in collaborations],
        "cases": [
            {"slug": c.slug, "title": c.title, "ward": c.ward.name}
            for c in selectors.published_cases_for_fiscal_year(fiscal_year=fiscal_year)
        ],
        "reported_total": _reported(reported_total, with_source=True),
        "reported": {code: _reported(figure) for code, figure in reported.items()},
        "data_notes": selectors.fiscal_year_data_notes(fiscal_year=fiscal_year),
        "files": {
            "training_categories": opendata.category_rows(fiscal_year, summary=summary, reported=reported),
            "training_wards": opendata.ward_rows(fiscal_year, wards=wards),
            "collaborations": opendata.collaboration_rows(fiscal_year, collaborations=collaborations),
            "event": event_rows,
        },
        "event_withheld": withheld,
    }


def _reported(figure, with_source=False):
    if figure is None:
        return None
    data = {
        "sessions": figure.sessions,
        "participants": figure.participants,
        "participants_approximate": figure.participants_approximate,
    }
    if with_source:
        data["source_document"] = figure.source_document
    return data


@dataclass(frozen=True)
class PublishedCase:
    slug: str
    title: str
    ward_name: str

    @property
    def ward(self):
        return SimpleNamespace(name=self.ward_name)

    def get_absolute_url(self):
        return reverse("case_detail", kwargs={"slug": self.slug})


class PublishedYear:
    """A year's figures (from a Publication or live_figures) in the shapes the public templates use."""

    def __init__(self, figures):
        self.figures = figures
        self.fiscal_year = figures["fiscal_year"]

    @property
    def summary(self):
        data = self.figures["summary"]
        return YearlySummary(
            fiscal_year=self.fiscal_year,
            sessions=data["sessions"],
            participants=data["participants"],
            sessions_without_count=data["sessions_without_count"],
            categories=[CategoryRow(**row) for row in data["categories"]],
        )

    @property
    def wards(self):
        return self.figures["wards"]

    @property
    def collaborations(self):
        return [
            SimpleNamespace(bureau=SimpleNamespace(name=c["bureau"]), description=c["description"])
            for c in self.figures["collaborations"]
        ]

    @property
    def cases(self):
        return [PublishedCase(c["slug"], c["title"], c["ward"]) for c in self.figures["cases"]]

    @property
    def reported_total(self):
        total = self.figures["reported_total"]
        return SimpleNamespace(**total) if total else None

    @property
    def reported(self):
        return {code: SimpleNamespace(**figure) for code, figure in self.figures["reported"].items() if figure}

    @property
    def data_notes(self):
        return self.figures["data_notes"]

    @property
    def event_withheld(self):
        return self.figures.get("event_withheld", 0)

    def file_rows(self, name, base_url=""):
        """Return the rows of the open-data file `name` with the site's address put before the paths."""
        rows = self.figures["files"][name]
        if not base_url:
            return rows
        return [
            {k: (base_url + v if k in ("URL", "url") and v.startswith("/") else v) for k, v in r.items()} for r in rows
        ]
