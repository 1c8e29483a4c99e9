"""Point 4 of the public-site issue: no personal data on any public page, file or error page."""

from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

import pytest
from django.contrib.auth import get_user_model

from outreach.models import ApproachCase
from partners.models import Organization, Ward
from portal.services import publish_fiscal_year
from tests.portal.public.test_views import public_urls
from trainings.models import Attendance, AttendanceSheet, TrainingSession

SECRETS = {
    "attendee name": "個人情報テスト太郎XYZ",
    "attendee kana": "コジンジョウホウテストタロウXYZ",
    "attendee affiliation as written": "所属記載テスト商店XYZ",
    "attendee role": "役職テスト係長XYZ",
    "attendee note": "出席者備考テストXYZ",
    "organisation address": "横浜市南区秘密町9-9-9XYZ",
    "organisation phone": "045-999-0000",
    "organisation staff note": "団体職員メモテストXYZ",
    "case staff note": "事例職員メモテストXYZ",
    "draft case title": "下書き事例テストXYZ",
    "draft case staff note": "下書き事例メモXYZ",
    "sheet file name": "出席者名簿_山田XYZ.xlsx",
    "uploader": "uploader-secret-xyz",
}


@pytest.fixture
def personal_records(demo_data):
    """Put every kind of personal or staff-only data into the demo records, with distinctive strings."""
    minami = Ward.objects.get(code="14105")
    uploader = get_user_model().objects.create_user(SECRETS["uploader"], email="uploader-secret-xyz@example.jp")
    care_plaza = Organization.objects.get(name="中村地域ケアプラザ")  # shown on the published case
    care_plaza.address = SECRETS["organisation address"]
    care_plaza.phone = SECRETS["organisation phone"]
    care_plaza.note = SECRETS["organisation staff note"]
    care_plaza.save()
    case = ApproachCase.objects.get(slug="minami-nakamura")
    case.staff_note = SECRETS["case staff note"]
    case.save()
    ApproachCase.objects.create(
        slug="draft-xyz", title=SECRETS["draft case title"], ward=minami, summary="下書き",
        staff_note=SECRETS["draft case staff note"], is_published=False,
    )  # fmt: skip
    session = TrainingSession.objects.get(title="出前塾：中村地域ケアプラザ（居場所づくりの相談）")
    sheet = AttendanceSheet.objects.create(
        file_name=SECRETS["sheet file name"], sha256="0" * 64, session=session, uploaded_by=uploader, row_count=2
    )
    Attendance.objects.create(
        session=session, sheet=sheet, row_number=1, name=SECRETS["attendee name"], name_kana=SECRETS["attendee kana"],
        organization_text=SECRETS["attendee affiliation as written"], ward=minami, role=SECRETS["attendee role"],
        note=SECRETS["attendee note"],
    )  # fmt: skip
    Attendance.objects.create(session=session, sheet=sheet, row_number=2, name="出席者二郎", organization=care_plaza)
    # The sheet records the session: its date is now a fact, and the year is published again.
    session.illustrative_fields = "venue audience_detail"
    session.save()
    publish_fiscal_year(fiscal_year=2018)


class _Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.hrefs = []

    def handle_starttag(self, tag, attrs):
        href = dict(attrs).get("href")
        if tag == "a" and href:
            self.hrefs.append(href)


def crawl(client, start):
    """Return {url: response} for every internal URL reachable from `start` (admin and static left out)."""
    seen, queue = {}, list(start)
    while queue:
        url = queue.pop(0)
        if url in seen:
            continue
        response = client.get(url)
        seen[url] = response
        if response.get("Content-Type", "").startswith("text/html"):
            parser = _Links()
            parser.feed(response.content.decode())
            for href in parser.hrefs:
                target = urljoin(url, href)
                parts = urlsplit(target)
                if parts.netloc or parts.path.startswith(("/admin/", "/static/")) or target.startswith("#"):
                    continue
                queue.append(parts.path + (f"?{parts.query}" if parts.query else ""))
    return seen


def assert_no_secret(url, response):
    text = response.content.decode("utf-8-sig")
    for what, secret in SECRETS.items():
        assert secret not in text, f"{what} appears in {url}"


def test_no_personal_data_on_any_public_page_or_download(client, personal_records):
    expected = public_urls()
    # Searches for parts of the secrets (the form echoes only the query typed, never a record).
    extra = ["/cases/?q=XYZ", "/cases/?q=テスト太郎", "/cases/?q=秘密町", "/cases/?ward=14105", "/summary/2015/"]
    responses = crawl(client, ["/", *expected, *extra])
    assert set(expected) <= set(responses)
    assert len(responses) > len(expected)  # the crawl followed links beyond the list (redirects, filters)
    for url, response in responses.items():
        assert response.status_code in (200, 302), url
        assert_no_secret(url, response)
    # The sheet's two rows are counted in the event list: the records were there, only aggregated.
    assert "参加者数：2人" in responses["/open-data/2018/event.csv"].content.decode("utf-8-sig")


def test_no_personal_data_on_public_error_pages(client, personal_records, settings):
    settings.DEBUG = False
    for url in ("/cases/draft-xyz/", "/no-such-page/", "/summary/1800/", "/open-data/2018/attendance.csv"):
        response = client.get(url)
        assert response.status_code == 404, url
        assert "ページが見つかりません" in response.content.decode()
        assert_no_secret(url, response)
