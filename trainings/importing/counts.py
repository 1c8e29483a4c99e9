"""What a roster does to the published figures: each session's participant count before and after.

A session's participant count follows one rule (TrainingSessionQuerySet.with_participant_counts):
its attendance rows, unless the roster is marked partial and a headcount was typed in, or no
roster exists. Importing a roster can therefore change a figure already published; the preview
says so per session and per fiscal year. A roster with fewer rows than a typed headcount (a
partial sign-in sheet) is imported, but the typed headcount stays the participant count unless
the user chooses to use the roster's count (`use_roster_count`); the write stores that choice
(trainings.importing.services, TrainingSession.roster_keeps_headcount).
"""

from collections import Counter
from dataclasses import dataclass

from django.db.models import Count

from trainings.models import Attendance, TrainingSession

ROSTER_COUNT_CHOICE = "「名簿の人数を参加者数にする」（コマンドでは --use-roster-count）"


@dataclass(frozen=True)
class CountChange:
    """One session's participant count before and after the import (None when not known).

    `roster`: the session's attendance rows after the import; `typed`: its typed headcount;
    `kept`: the typed headcount stays because the roster is shorter (a partial roster).
    """

    session: object
    before: int | None
    after: int | None
    roster: int = 0
    typed: int | None = None
    kept: bool = False

    @property
    def text(self):
        """Return 「2019-05-20 研修名: 参加者数 12人 → 2人」, with why when the roster and headcount differ."""
        return f"{self.session}: 参加者数 {people(self.before)} → {people(self.after)}{self.reason}"

    @property
    def reason(self):
        """Return the bracketed note on a roster shorter than the typed headcount ('' otherwise)."""
        if self.kept:
            return (
                f"（名簿は{self.roster:,}人。入力済みの参加者数{self.typed:,}人をそのまま使い、"
                f"名簿の人は実人数などに数えます。名簿の人数を参加者数にするには{ROSTER_COUNT_CHOICE}を選んで"
                "取り込むか、取込後に研修の「名簿は一部」をオフにします）"
            )
        if self.typed is not None and self.roster < self.typed:
            return f"（名簿の人数を使います。入力済みの参加者数{self.typed:,}人は使いません）"
        return ""


def people(count):
    """Return a participant count as the import's messages write it: 「1,234人」, 「不明」 when unknown."""
    return "不明" if count is None else f"{count:,}人"


def earlier_sheet_rows(plan, session_ids):
    """Return the attendance rows (a QuerySet) that earlier sheets brought for `session_ids`, before `plan` is counted.

    Not the rows this import wrote already (`plan.sheet_record`'s, in a streamed import), and not
    read at all for a session without rows before the import: until the import's rows are counted
    into their sessions (at its end: trainings.reach.rows_reached_in_bulk), a session's stored row
    count is that of its rows before it, and one without any has no earlier sheet's rows (a
    200,000-row import of new sessions read its own rows twice more for nothing).
    """
    rows = Attendance.objects.filter(
        session_id__in=list(session_ids), sheet__isnull=False, session__attendance_count__gt=0
    )
    if getattr(plan, "sheet_record", None) is not None:
        rows = rows.exclude(sheet_id=plan.sheet_record.pk)
    return rows


def snapshot_sessions(plan, session_ids):
    """Keep, in `plan.before`, the counts of the sessions in `session_ids` not yet kept, as they are now.

    Called before the sessions' counts change, so that the figures "before" are those without
    this import: in a preview, before the write, or at the end of a streamed import's validation
    (services.import_streamed), whose rows are written then but not yet counted (earlier_sheet_rows).
    Keeps each new fiscal year's total too.
    Queries: none when every session is kept already; else two, plus one per new fiscal year.
    """
    new = [session_id for session_id in session_ids if session_id not in plan.before]
    if not new:
        return
    sheet_rows = dict(
        earlier_sheet_rows(plan, new).values("session_id").annotate(n=Count("pk")).values_list("session_id", "n")
    )
    for session in TrainingSession.objects.filter(pk__in=new).with_participant_counts():
        plan.before[session.pk] = (session, sheet_rows.get(session.pk, 0))
        year = session.fiscal_year
        if year not in plan.year_before:
            plan.year_before[year] = TrainingSession.objects.for_fiscal_year(year).participant_totals()["participants"]


def plan_count_changes(plan, *, use_roster_count=False):
    """Fill plan.count_changes and plan.year_changes for a valid participants plan.

    Each session's count after the import follows with_participant_counts with the roster
    flag the write will store (TrainingSession.roster_keeps_headcount), so the year totals
    shown are those stored afterwards. Reads each session's rows in the sheet from
    `plan.session_rows` and the figures before the import from `plan.before` (snapshot_sessions,
    called here for the sessions not kept yet).
    """
    new_rows = plan.session_rows
    if not new_rows:
        return
    snapshot_sessions(plan, new_rows)
    by_year = Counter()
    kept_before = sorted(
        (plan.before[pk] for pk in new_rows if pk in plan.before), key=lambda b: (b[0].date, b[0].title)
    )
    for session, sheet_rows in kept_before:
        roster = session.attendance_count - sheet_rows + new_rows[session.pk]
        typed = session.headcount
        kept = TrainingSession.roster_keeps_headcount(typed, roster, use_roster_count=use_roster_count)
        after = typed if kept else roster
        plan.count_changes.append(CountChange(session, session.participant_count, after, roster, typed, kept))
        by_year[session.fiscal_year] += after - (session.participant_count or 0)
    for year, delta in sorted(by_year.items()):
        total = plan.year_before[year]
        plan.year_changes.append(f"{year}年度の参加者数の合計: {total:,}人 → {total + delta:,}人（{delta:+,}人）")
