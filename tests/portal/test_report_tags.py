import datetime

from portal.selectors import ReportSession
from portal.templatetags.portal_tags import report_session_items


def test_report_session_items_match_the_report_layout_and_escape_titles():
    items = report_session_items(
        [
            ReportSession("協働入門研修", datetime.date(2019, 5, 20), 1820),
            ReportSession("<b>出前塾</b>", datetime.date(2019, 11, 3), None),
        ]
    )
    assert items == (
        '<li>協働入門研修<span class="sub">（5月20日、1,820人）</span></li>'
        '<li>&lt;b&gt;出前塾&lt;/b&gt;<span class="sub">（11月3日）</span></li>'
    )
    assert report_session_items([]) == ""
