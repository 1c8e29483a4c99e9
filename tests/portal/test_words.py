"""The words of the UI: the pages every role opens are in Japanese, and read-only records are titled as such.

The crawl renders, for the visitor and for each role (入力担当, 管理職, システム管理者, a
superuser), the public pages, the admin index, every list, add form, record and history page
of every registered model the role may open, the dashboard and the report, and collects the
Latin-letter words of the visible text and of the titles, alternative texts, placeholders and
button labels. Only ALLOWED words may remain.
"""

import re
from collections import defaultdict
from html.parser import HTMLParser

import pytest
from django.contrib import admin
from django.contrib.auth.models import Group, User

from portal.roles import DATA_ENTRY, MANAGER, ROLES
from trainings.models import Attendance, AttendanceSheet, TrainingSession

# Words that are the name of the thing itself: file formats and encodings, protocols, identifiers,
# the licence, products and keys named in Django's own Japanese messages, the date pattern, the
# national open-data layout's column 「NO」, and 「No.」, the number column as sign-in sheets head it
# (the remembered header mappings list it among the columns).
ALLOWED = {
    "CSV", "XLSX", "JSON", "PDF", "URL", "ID", "IP", "SHA", "CC", "BY", "UTF", "BOM", "GET", "POST",
    "User-Agent", "Accept", "Excel", "Word", "Control", "Command", "Mac", "LDAP", "YYYY-MM-DD", "NO", "No",
}  # fmt: skip
# Text that is data, not words of the UI: file names, paths, hashes, axes' value for a missing header.
DATA = re.compile(r"\S+\.(csv|xlsx|docx|json|pdf)\b|(?<![\w])/[\w/.-]*|\b[0-9a-f]{64}\b|<unknown>")
PUBLIC_PAGES = ["/", "/summary/2018/", "/cases/", "/cases/minami-nakamura/", "/collaborations/2018/", "/open-data/"]


class VisibleText(HTMLParser):
    """Collects the text a person reads or hears: text outside script/style, titles, alt texts, labels.

    Text in <code> (the open-data files' keys) is an identifier, not a word of the UI.
    """

    ATTRIBUTES = ("title", "alt", "placeholder", "aria-label")

    def __init__(self):
        super().__init__()
        self.parts = []
        self.hidden = 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style", "template", "code"):
            self.hidden += 1
        attributes = dict(attrs)
        self.parts += [attributes[name] for name in self.ATTRIBUTES if attributes.get(name)]
        if tag == "input" and attributes.get("type") in ("submit", "button", "reset") and attributes.get("value"):
            self.parts.append(attributes["value"])

    def handle_endtag(self, tag):
        if tag in ("script", "style", "template", "code"):
            self.hidden -= 1

    def handle_data(self, data):
        if not self.hidden:
            self.parts.append(data)


def english_words(html, names=()):
    """Return the Latin-letter words of a page's visible text other than ALLOWED, data and the user `names`."""
    parser = VisibleText()
    parser.feed(html)
    text = DATA.sub(" ", " ".join(parser.parts))
    for name in names:
        text = text.replace(name, " ")
    words = re.findall(r"[A-Za-z][A-Za-z0-9'’-]*[A-Za-z]", text)
    return {word for word in words if word not in ALLOWED and word not in names}


def pages_for(user, records):
    """Return the admin pages `user` may open: index, and per model the list, add form, a record and its history."""
    from django.test import RequestFactory

    request = RequestFactory().get("/admin/")
    request.user = user
    pages = ["/admin/", "/admin/password_change/"]
    for model, model_admin in admin.site._registry.items():
        opts = model._meta
        base = f"/admin/{opts.app_label}/{opts.model_name}/"
        if not model_admin.has_view_or_change_permission(request):
            continue
        pages.append(base)
        if model_admin.has_add_permission(request):
            pages.append(base + "add/")
        record = records.get(model) or model.objects.order_by("pk").first()
        if record is not None:
            pages += [f"{base}{record.pk}/change/", f"{base}{record.pk}/history/"]
    if user.has_perm("portal.view_dashboard"):
        pages += ["/dashboard/2018/", "/dashboard/2018/report/"]
    return pages


@pytest.fixture
def every_kind_of_record(demo_data):
    """The demo records plus an attendance row, an imported sheet and a failed login, so that every model has a page."""
    from axes.models import AccessAttempt, AccessFailureLog, AccessLog

    session = TrainingSession.objects.order_by("date").first()
    sheet = AttendanceSheet.objects.create(file_name="名簿.csv", sha256="0a" * 32, session=session, row_count=1)
    Attendance.objects.create(session=session, sheet=sheet, row_number=1, name="山田太郎", organization_text="謎の会")
    common = {"username": "staff1", "ip_address": "127.0.0.1", "user_agent": "ブラウザ", "path_info": "/admin/login/"}
    AccessAttempt.objects.create(**common, http_accept="*/*", get_data="", post_data="", failures_since_start=2)
    AccessLog.objects.create(**common, http_accept="*/*")
    AccessFailureLog.objects.create(**common, http_accept="*/*")
    return {}


def users():
    """Return {who: user} for every role and a superuser."""
    made = {}
    for name in ROLES:
        user = User.objects.create_user(f"role-{ROLES.index(name)}", is_staff=True)
        user.groups.add(Group.objects.get(name=name))
        made[name] = user
    made["superuser"] = User.objects.create_superuser("root-user")
    return made


def test_no_english_words_are_left_in_the_pages_of_any_role(client, every_kind_of_record):
    found = defaultdict(set)
    people = users()
    # The records' own values: the demo case's URL name, user names.
    names = {"minami-nakamura", "staff1", *(user.username for user in people.values())}
    for path in [*PUBLIC_PAGES, "/admin/login/"]:
        response = client.get(path)
        assert response.status_code == 200, path
        for word in english_words(response.content.decode(), names):
            found[word].add(f"anonymous {path}")
    for who, user in people.items():
        client.force_login(user)
        for path in pages_for(user, every_kind_of_record):
            response = client.get(path)
            assert response.status_code == 200, (who, path)
            for word in english_words(response.content.decode(), names):
                found[word].add(f"{who} {path}")
    report = "\n".join(f"{word}: {len(where)} pages, e.g. {sorted(where)[:3]}" for word, where in sorted(found.items()))
    assert not found, "English words left in the UI:\n" + report


def test_a_record_opened_read_only_is_titled_as_its_details(client, demo_data):
    manager = User.objects.create_user("manager", is_staff=True)
    manager.groups.add(Group.objects.get(name=MANAGER))
    client.force_login(manager)
    session = TrainingSession.objects.order_by("date").first()
    html = client.get(f"/admin/trainings/trainingsession/{session.pk}/change/").content.decode()
    assert "<h1>研修の詳細</h1>" in html and f"<title>{session} | 研修の詳細 |" in html
    assert "過去の内容" not in html


def test_a_past_version_is_still_titled_as_one(client, demo_data):
    writer = User.objects.create_user("writer", is_staff=True)
    writer.groups.add(Group.objects.get(name=DATA_ENTRY))
    client.force_login(writer)
    session = TrainingSession.objects.order_by("date").first()
    history_id = session.history.earliest().history_id
    html = client.get(f"/admin/trainings/trainingsession/{session.pk}/history/{history_id}/").content.decode()
    assert f"{session}（過去の内容）" in html


def test_every_kind_of_page_links_the_favicon(client, demo_data):
    from django.contrib.staticfiles import finders

    assert finders.find("img/favicon.svg") and finders.find("img/favicon-32.png")
    manager = User.objects.create_user("manager", is_staff=True)
    manager.groups.add(Group.objects.get(name=MANAGER))
    pages = ["/", "/cases/", "/admin/login/"]
    for path in pages:
        assert 'rel="icon" href="/static/img/favicon.svg"' in client.get(path).content.decode(), path
    client.force_login(manager)
    for path in ["/admin/", "/admin/trainings/trainingsession/", "/dashboard/2018/", "/dashboard/2018/report/"]:
        assert 'rel="icon" href="/static/img/favicon.svg"' in client.get(path).content.decode(), path
