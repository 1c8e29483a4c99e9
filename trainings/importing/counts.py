"""What a roster does to the published figures: each session's participant count before and after.

A session's participant count is its attendance rows where a sheet was imported, otherwise the
headcount typed in (TrainingSessionQuerySet.with_participant_counts). Importing a roster can
therefore change a figure already published; the preview says so per session and per fiscal
year, and a roster with fewer rows than a typed headcount (a partial sign-in sheet) is refused
unless the user chooses to use the roster's count (`use_roster_count`).
"""

from collections import Counter
from dataclasses import dataclass

from django.db.models import Count

from trainings.models import Attendance, TrainingSession


@dataclass(frozen=True)
class CountChange:
    """One session's participant count before and after the import (None when not known)."""

    session: object
    before: int | None
    after: int | None

    @property
    def text(self):
        """Return 「2019-05-20 研修名: 参加者数 12人 → 2人」."""
        return f"{self.session}: 参加者数 {_people(self.before)} → {_people(self.after)}"


def _people(count):
    return "不明" if count is None else f"{count:,}人"


def snapshot_sessions(plan, session_ids):
    """Keep, in `plan.before`, the counts of the sessions in `session_ids` not yet kept, as they are now.

    Called before any row of these sessions is written (and at the end of a preview), so that
    the figures "before" are those without this import. Keeps each new fiscal year's total too.
    Queries: none when every session is kept already; else two, plus one per new fiscal year.
    """
    new = [session_id for session_id in session_ids if session_id not in plan.before]
    if not new:
        return
    sheet_rows = dict(
        Attendance.objects.filter(session_id__in=new, sheet__isnull=False)
        .values("session_id")
        .annotate(n=Count("pk"))
        .values_list("session_id", "n")
    )
    for session in TrainingSession.objects.filter(pk__in=new).with_participant_counts():
        plan.before[session.pk] = (session, sheet_rows.get(session.pk, 0))
        year = session.fiscal_year
        if year not in plan.year_before:
            plan.year_before[year] = TrainingSession.objects.for_fiscal_year(year).participant_totals()["participants"]


def plan_count_changes(plan, *, use_roster_count=False):
    """Fill plan.count_changes and plan.year_changes for a valid participants plan; refuse partial rosters.

    Reads each session's rows in the sheet from `plan.session_rows` and the figures before the
    import from `plan.before` (snapshot_sessions, called here for the sessions not kept yet).
    """
    new_rows = plan.session_rows
    if not new_rows:
        return
    snapshot_sessions(plan, new_rows)
    by_year = Counter()
    kept = sorted((plan.before[pk] for pk in new_rows if pk in plan.before), key=lambda b: (b[0].date, b[0].title))
    for session, sheet_rows in kept:
        after = session.attendance_count - sheet_rows + new_rows[session.pk]
        change = CountChange(session, session.participant_count, after)
        plan.count_changes.append(change)
        by_year[session.fiscal_year] += after - (session.participant_count or 0)
        typed = session.headcount
        if typed is not None and session.attendance_count == 0 and after < typed and not use_roster_count:
            plan.base_errors.append(
                f"{session}: 名簿は{after:,}人ですが、入力済みの参加者数は{typed:,}人です。名簿が一部だけなら、"
                "参加者数はそのまま残すため取り込みません。名簿の人数を参加者数にする場合は"
                "「名簿の人数を参加者数にする」（コマンドでは --use-roster-count）を選んでください。"
            )
    for year, delta in sorted(by_year.items()):
        total = plan.year_before[year]
        plan.year_changes.append(f"{year}年度の参加者数の合計: {total:,}人 → {total + delta:,}人（{delta:+,}人）")
