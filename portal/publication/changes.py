"""What differs between two sets of a year's public figures, as lines a manager reads before publishing."""

import json
from dataclasses import dataclass

from django.contrib.humanize.templatetags.humanize import intcomma

UNKNOWN = "不明"
NONE = "なし"


@dataclass(frozen=True)
class Change:
    label: str  # what changed, e.g. 「参加者数」
    before: str  # as written on the page: 「1,820」, 「なし」
    after: str

    def __str__(self):
        return f"{self.label} {self.before} → {self.after}"

    def as_list(self):
        return [self.label, self.before, self.after]


def _number(value):
    return UNKNOWN if value is None else intcomma(value)


def _participants(row):
    if row is None:
        return NONE
    if row["sessions"] and row["sessions_without_count"] >= row["sessions"]:
        return UNKNOWN
    return _number(row["participants"])


def _compare(changes, label, before, after):
    if before != after:
        changes.append(Change(label, before, after))


def _by(rows, key):
    return {row[key]: row for row in rows}


def figure_changes(before, after):
    """Return the Changes from the figures `before` (a publication's, or None) to `after`, in page order.

    Headline totals first, then each category, each ward, the collaborations, the year's cases,
    and finally whether any open-data file differs otherwise. An empty list: nothing changed.
    """
    if before is None:
        return []
    changes = []
    old, new = before["summary"], after["summary"]
    _compare(changes, "研修等の回数", _number(old["sessions"]), _number(new["sessions"]))
    _compare(changes, "参加者数", _number(old["participants"]), _number(new["participants"]))
    _compare(
        changes, "参加者数不明の回数", _number(old["sessions_without_count"]), _number(new["sessions_without_count"])
    )
    old_cats, new_cats = _by(old["categories"], "code"), _by(new["categories"], "code")
    for code in [*new_cats, *(c for c in old_cats if c not in new_cats)]:
        o, n = old_cats.get(code), new_cats.get(code)
        name = f"区分「{code} {(n or o)['name']}」"
        _compare(changes, f"{name}の回数", _number(o["sessions"]) if o else NONE, _number(n["sessions"]) if n else NONE)
        _compare(changes, f"{name}の参加者数", _participants(o), _participants(n))
    old_wards, new_wards = _by(before["wards"], "code"), _by(after["wards"], "code")
    for code, n in new_wards.items():
        o = old_wards.get(code)
        _compare(changes, f"{n['name']}の開催回数", _number(o["sessions"]) if o else NONE, _number(n["sessions"]))
        _compare(changes, f"{n['name']}の参加者数", _participants(o), _participants(n))
    old_collab, new_collab = _by(before["collaborations"], "bureau"), _by(after["collaborations"], "bureau")
    for bureau in [*new_collab, *(b for b in old_collab if b not in new_collab)]:
        o, n = old_collab.get(bureau), new_collab.get(bureau)
        if o is None or n is None:
            _compare(changes, f"局間連携「{bureau}」", "あり" if o else NONE, "あり" if n else NONE)
        elif o["description"] != n["description"]:
            changes.append(Change(f"局間連携「{bureau}」の内容", "変更前", "変更後"))
    old_cases = {c["slug"]: c["title"] for c in before["cases"]}
    new_cases = {c["slug"]: c["title"] for c in after["cases"]}
    for slug in sorted(old_cases.keys() ^ new_cases.keys()):
        _compare(
            changes,
            f"事例「{new_cases.get(slug) or old_cases[slug]}」",
            "掲載" if slug in old_cases else NONE,
            "掲載" if slug in new_cases else NONE,
        )
    _compare(
        changes, "イベント一覧の行数", _number(len(before["files"]["event"])), _number(len(after["files"]["event"]))
    )
    if not changes and _canonical(before) != _canonical(after):
        changes.append(Change("オープンデータ・ページの記載", "変更前", "変更後"))
    return changes


def _canonical(figures):
    return json.dumps(figures, sort_keys=True, ensure_ascii=False, default=str)
