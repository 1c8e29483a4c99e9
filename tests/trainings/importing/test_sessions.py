"""Session lists (研修一覧, trainings.importing.sessions): capped, as each listed session is held until the write."""

import pytest

from tests.trainings.db_state import database_state
from tests.trainings.importing.both_paths import via_admin, via_command
from trainings.models import PendingUpload, TrainingSession


def session_list(rows):
    """Return a CP932 研修一覧 (CRLF, as Excel saves it) of `rows` new sessions."""
    lines = ["開催日,研修名,参加者数"]
    lines += [f"令和元年5月{1 + i % 28}日,まちづくり研修 第{i + 1}回,{10 + i}名" for i in range(rows)]
    return ("\r\n".join(lines) + "\r\n").encode("cp932")


@pytest.mark.parametrize("path", ["admin", "command"])
def test_a_session_list_over_the_limit_is_refused_naming_the_setting(client, clerk, import_records, settings, path):
    settings.IMPORT_MAX_SESSION_ROWS = 3
    client.force_login(clerk)
    # The admin keeps the refused upload for the error file; nothing else is written.
    before = database_state(exclude=(PendingUpload,))
    data = session_list(5)
    if path == "admin":
        outcome = via_admin(client, "研修一覧.csv", data, kind="sessions")
    else:
        outcome = via_command("研修一覧.csv", data, "--kind", "sessions")
    assert not outcome.imported
    assert "研修一覧の行が多すぎます（5行目で 3件を超えました）" in outcome.text
    assert "設定 IMPORT_MAX_SESSION_ROWS" in outcome.text
    assert database_state(exclude=(PendingUpload,)) == before


def test_a_session_list_at_the_limit_imports(import_records, settings):
    settings.IMPORT_MAX_SESSION_ROWS = 3
    outcome = via_command("研修一覧.csv", session_list(3), "--kind", "sessions")
    assert outcome.imported, outcome.text
    assert TrainingSession.objects.filter(title__startswith="まちづくり研修 第").count() == 3
