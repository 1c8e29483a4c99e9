"""Import a sheet through the admin's upload and through `manage.py import_attendance`, for tests comparing both.

Each function returns an Outcome: whether anything was written, and the messages shown (the
admin's preview text; the command's output), so a test can check both paths give the same.
"""

import re
import tempfile
from dataclasses import dataclass
from io import StringIO
from pathlib import Path

from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse

IMPORT_URL = "admin:trainings_attendancesheet_import"
PROCESS_URL = "admin:trainings_attendancesheet_process_import"


@dataclass
class Outcome:
    imported: bool
    text: str  # every message, as shown
    plan: object = None


def _plain(html):
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def via_admin(client, name, data, *, kind="auto", session=None, extra=None, confirm=True):
    """Upload `data` as `name` in the admin, confirm when the preview allows; return the Outcome."""
    post = {"kind": kind, "import_file": SimpleUploadedFile(name, data), **(extra or {})}
    if session is not None:
        post["session"] = session.pk
    preview = client.post(reverse(IMPORT_URL), post)
    assert preview.status_code == 200
    text = _plain(preview.content.decode())
    context = preview.context
    if not confirm or not context.get("can_confirm"):
        return Outcome(False, text, context.get("plan"))
    values = {k: ("" if v is None else v) for k, v in context["confirm_form"].initial.items()}
    done = client.post(reverse(PROCESS_URL), {**values, **(extra or {}), "_confirm": "1"}, follow=True)
    messages = " ".join(str(m) for m in done.context["messages"]) if done.context else ""
    return Outcome("取り込みました" in messages, text + " " + messages, context.get("plan"))


def via_command(name, data, *args):
    """Run import_attendance on `data` saved as `name`; return the Outcome (output and errors)."""
    out, err = StringIO(), StringIO()
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / name
        path.write_bytes(data)
        try:
            call_command("import_attendance", str(path), *args, stdout=out, stderr=err)
        except CommandError as error:
            return Outcome(False, f"{out.getvalue()} {err.getvalue()} {error}")
    return Outcome("取り込みました" in out.getvalue(), f"{out.getvalue()} {err.getvalue()}")
