"""Keeping a case's timeline in true order when staff enter it (dated entries always by date).

The timeline is told by fiscal year, then by 「年度内の並び順」 (position), then by date
(models.TIMELINE_ORDER). An entry known only by its year is placed by its position; entries with
a date must still run by date, so their positions may not contradict their dates.
"""

from collections import defaultdict

from core.fiscal import fiscal_year


def place_dated_entries(entries):
    """Give unplaced dated entries a position in date order; return messages for contradicting ones.

    `entries` are CaseEvent objects (saved or not) of one case. Within a fiscal year, a dated entry
    whose position is 0 (not placed) and would come before an earlier-dated entry gets that
    entry's position, so it runs after it by date; a dated entry placed explicitly before an
    earlier-dated one is reported (Japanese), and nothing is changed for it.
    """
    by_year = defaultdict(list)
    for entry in entries:
        if entry.date is not None:
            by_year[fiscal_year(entry.date)].append(entry)
    problems = []
    for dated in by_year.values():
        dated.sort(key=lambda entry: entry.date)
        highest = None  # the earlier-dated entry with the highest position so far
        for entry in dated:
            if highest is not None and entry.position < highest.position:
                if entry.position == 0:
                    entry.position = highest.position
                else:
                    problems.append(
                        f"{entry.when_label}の経過の「年度内の並び順」（{entry.position}）が、それより前の"
                        f"{highest.when_label}の経過（{highest.position}）より小さくなっています。"
                        "日付のある経過は日付の順になるように並び順を入れてください。"
                    )
            if highest is None or entry.position >= highest.position:
                highest = entry
    return problems
