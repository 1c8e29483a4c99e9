"""Cross-app roll-ups: every figure a page shows comes from a function of this package.

Selectors return figures and the ids of the records behind them, never Japanese labels, units
or admin links: the dashboard builds those in portal.dashboard.presentation, the public site in
its templates. Each function runs a fixed number of queries whatever the size of the data.

- years: which fiscal years have records;
- summary: a year's totals per category and per ward, collaborations, headline figures;
- groups: the sessions of some years totalled by each breakdown in one query;
- breakdowns: sessions and participants by audience, host and month;
- trend: totals over several years;
- reconciliation: recorded figures beside the published ones;
- report: what the committee report lists;
- public: the public site's lists of published cases and sessions.
"""

from portal.selectors.breakdowns import (
    HOST_UNKNOWN,
    HOSTED_BY_ORGANIZATION,
    GroupFigures,
    audience_figures,
    host_figures,
    month_figures,
)
from portal.selectors.groups import SessionGroups, session_groups
from portal.selectors.public import (
    fiscal_year_data_notes,
    public_sessions,
    public_ward_breakdown,
    published_case_details,
    published_cases,
    published_cases_for_fiscal_year,
    search_published_cases,
)
from portal.selectors.reconciliation import Match, Reconciliation, ReconciliationRow, reconciliation, reported_figures
from portal.selectors.report import (
    CommitteeReport,
    PlanRow,
    ReportSession,
    SessionList,
    achievements,
    cases_with_timelines,
    committee_report,
    plan_items_with_status,
    plan_notes,
    sessions_by_category,
)
from portal.selectors.summary import (
    AttendanceReach,
    CategoryRow,
    WardRow,
    YearlySummary,
    YearTotals,
    attendance_reach,
    attendance_reaches,
    collaborations,
    ward_breakdown,
    year_totals,
    yearly_summary,
    years_totals,
)
from portal.selectors.trend import TrendRow, multi_year_trend
from portal.selectors.years import (
    available_fiscal_years,
    fiscal_years_with_records,
    latest_fiscal_year,
    public_fiscal_years,
    reported_fiscal_years,
)

__all__ = [
    "HOST_UNKNOWN",
    "HOSTED_BY_ORGANIZATION",
    "AttendanceReach",
    "CategoryRow",
    "CommitteeReport",
    "GroupFigures",
    "Match",
    "PlanRow",
    "Reconciliation",
    "ReconciliationRow",
    "ReportSession",
    "SessionGroups",
    "SessionList",
    "TrendRow",
    "WardRow",
    "YearTotals",
    "YearlySummary",
    "achievements",
    "attendance_reach",
    "attendance_reaches",
    "audience_figures",
    "available_fiscal_years",
    "cases_with_timelines",
    "collaborations",
    "committee_report",
    "fiscal_year_data_notes",
    "fiscal_years_with_records",
    "host_figures",
    "latest_fiscal_year",
    "month_figures",
    "multi_year_trend",
    "plan_items_with_status",
    "plan_notes",
    "public_fiscal_years",
    "public_sessions",
    "public_ward_breakdown",
    "published_case_details",
    "published_cases",
    "published_cases_for_fiscal_year",
    "reconciliation",
    "reported_figures",
    "reported_fiscal_years",
    "search_published_cases",
    "session_groups",
    "sessions_by_category",
    "ward_breakdown",
    "year_totals",
    "yearly_summary",
    "years_totals",
]
