"""What an open-data file is: the publisher, the licence, a dataset's columns and download names."""

from collections.abc import Callable
from dataclasses import dataclass

from django.urls import reverse

# 全国地方公共団体コード of Yokohama City, with its check digit.
LOCAL_GOVERNMENT_CODE = "141003"
PREFECTURE = "神奈川県"
MUNICIPALITY = "横浜市"
PUBLISHER = "横浜市 都市整備局 地域まちづくり課"
LICENSE = "CC BY 4.0"
LICENSE_URL = "https://creativecommons.org/licenses/by/4.0/deed.ja"
ATTRIBUTION = f"出典：{PUBLISHER}「区局・中間支援組織と連携した地域支援（アプローチ型支援）の記録」"
ILLUSTRATIVE_NOTE = (
    "記録のうち出典に記載がなく例示として補った値（研修ごとの開催日・会場など）は、データとして公開せず空欄にしています。"
    "開催日が例示の研修はイベント一覧に載せていません。記録されていない値も空欄（JSONでは値なし）で、0 とは書きません。"
    "年度の数値は、担当課が確認して公開したものです。"
)


@dataclass(frozen=True)
class Column:
    key: str  # JSON key
    header: str  # CSV header
    description: str


@dataclass(frozen=True)
class Dataset:
    name: str  # used in URLs and file names
    title: str
    description: str
    columns: tuple[Column, ...]
    formats: tuple[str, ...]
    per_year: bool
    rows: Callable  # (fiscal_year, base_url) -> list of dicts keyed by Column.key

    @property
    def has_json_keys(self):
        """True when the JSON keys differ from the CSV headers (the event list uses the headers as keys)."""
        return "json" in self.formats and any(c.key != c.header for c in self.columns)

    def file_name(self, fmt, fiscal_year=None):
        """Return the download's file name, e.g. '141003_event_2018.csv'."""
        year = f"_{fiscal_year}" if self.per_year else ""
        return f"{LOCAL_GOVERNMENT_CODE}_{self.name}{year}.{fmt}"

    def url(self, fmt, fiscal_year=None):
        """Return the download's path."""
        if self.per_year:
            return reverse("opendata_yearly", kwargs={"fiscal_year": fiscal_year, "name": self.name, "fmt": fmt})
        return reverse("opendata_file", kwargs={"name": self.name, "fmt": fmt})
