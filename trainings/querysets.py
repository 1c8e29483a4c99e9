"""Table-level reads of training sessions: the participant-count rule and the roll-ups built on it.

TrainingSessionQuerySet.with_participant_counts() is the one owner of a session's participant
count; every roll-up (dashboard, report, public pages, open data, publication) reads it.
"""

from django.db import models
from django.db.models import Case, CharField, Count, F, Q, Sum, Value, When
from django.db.models.functions import Cast

from core.querysets import FiscalYearQuerySet


class TrainingSessionQuerySet(FiscalYearQuerySet):
    def with_participant_counts(self, *, headcount=None):
        """Annotate `participant_count` (`attendance_count`, the rows, is a stored field).

        The one rule for a session's participant count (None when neither figure is known):
        - the typed headcount when the roster is marked partial (`roster_is_partial`: staff kept
          the headcount because the sign-in sheet lists only some of the participants);
        - otherwise the attendance rows where a roster was imported or typed in;
        - otherwise the typed headcount.
        A partial roster whose headcount was cleared falls back to its rows. `headcount`: an
        expression read instead of the typed headcount (the public ward table passes one that
        hides a headcount assumed for the demo). No join and no subquery: the stored row count
        is read, so yearly roll-ups never scan attendance.
        """
        typed = F("headcount") if headcount is None else headcount
        return self.annotate(
            participant_count=Case(
                When(roster_is_partial=True, headcount__isnull=False, then=typed),
                When(attendance_count__gt=0, then=F("attendance_count")),
                default=typed,
                output_field=models.IntegerField(),
            )
        )

    def _participant_aggregates(self):
        return {
            "sessions": Count("pk"),
            "participants": Sum("participant_count"),
            "sessions_without_count": Count("pk", filter=Q(participant_count__isnull=True)),
        }

    def participant_totals(self, **extra):
        """Return the participants of these sessions as a dict (one query).

        `sessions`: how many; `participants`: the sum of their participant counts (see
        with_participant_counts), 0 when none is known; `sessions_without_count`: sessions whose
        count is unknown, which add nothing to `participants`. `extra` aggregates are computed in
        the same query and returned under their own names.
        """
        totals = self.with_participant_counts().aggregate(**self._participant_aggregates(), **extra)
        totals["participants"] = totals["participants"] or 0
        return totals

    def participant_totals_by(self, *fields, headcount=None, **extra):
        """Return participant_totals per group of `fields`: a values() queryset of dicts (one query).

        Each dict holds the `fields` and `sessions`, `participants` (None when no session of the
        group has a known count) and `sessions_without_count`, and the `extra` aggregates under
        their own names. `headcount`: as in with_participant_counts.
        """
        return (
            self.with_participant_counts(headcount=headcount)
            .order_by()
            .values(*fields)
            .annotate(**self._participant_aggregates(), **extra)
        )

    def participant_totals_by_each(self, dimensions, **extra):
        """Return participant_totals per fiscal year and group of each of `dimensions` in turn (one query).

        `dimensions` maps a name to a pair of expressions, the group's keys (the second may be
        None). One UNION ALL of a GROUP BY per dimension, so that a page needing several
        breakdowns of the same sessions pays one round trip and gets a few rows per group. Returns
        a list of dicts: `dimension` (the name), `fiscal_year`, `key` and `key2` (as text, or
        None), `sessions`, `participants` (None when no session of the group has a known count),
        `sessions_without_count` and the `extra` aggregates.
        """
        parts = [
            self.annotate(
                dimension=Value(name),
                key=Cast(key, CharField()),
                key2=Cast(Value(None) if key2 is None else key2, CharField()),
            ).participant_totals_by("dimension", "fiscal_year", "key", "key2", **extra)
            for name, (key, key2) in dimensions.items()
        ]
        first, *rest = parts
        return list(first.union(*rest, all=True)) if rest else list(first)

    def fiscal_years(self):
        """Return the distinct fiscal years of these sessions as a flat values_list queryset (unordered).

        DISTINCT on the bare column: an index-only scan of the fiscal_year index rather than
        hashing every session; it can be combined with union() for other records' years.
        """
        return self.order_by().values_list("fiscal_year", flat=True).distinct()
