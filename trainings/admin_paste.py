"""The session page's 「Excelから貼り付け」: paste rows copied from Excel, preview them, save them.

The admin view of trainings.importing.paste (which runs the sheet import's reader, validation
and write). Same permission as the sheet import (`trainings.import_attendancesheet`, and seeing
the session); the preview writes nothing; 「保存」 writes every row in one transaction, or none.
"""

from django import forms
from django.contrib import messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse

from trainings.importing.paste import PASTE_COLUMNS, PasteError, digest_of, paste_attendance
from trainings.models import AttendanceSheet, TrainingSession

IMPORT_PERMISSION = "trainings.import_attendancesheet"
MAX_ERRORS_SHOWN = 500


class PasteForm(forms.Form):
    """The pasted text, and the digest of the text last previewed (so that only what was seen is saved)."""

    text = forms.CharField(
        label="Excel からコピーした行",
        strip=False,
        required=False,
        widget=forms.Textarea(attrs={"rows": 12, "spellcheck": "false", "autocomplete": "off", "wrap": "off"}),
        help_text=(
            "Excel で出席者の行を選んでコピーし、この欄に貼り付けます。見出し行はあってもなくても構いません。"
            "この欄で直してから確かめ直すこともできます。"
        ),
    )
    previewed = forms.CharField(widget=forms.HiddenInput, required=False, max_length=64)
    use_roster_count = forms.BooleanField(
        label="名簿の人数を参加者数にする",
        required=False,
        help_text=(
            "貼り付けた行数が入力済みの参加者数より少ないときは、保存しても参加者数は入力済みの人数のままです"
            "（名簿は一部として記録します）。貼り付けた行数を参加者数にするときだけ選びます。"
        ),
    )


def can_paste(request, session_admin, session):
    """Return True when the user may paste attendance into `session` (the sheet import's permission)."""
    return request.user.has_perm(IMPORT_PERMISSION) and session_admin.has_view_permission(request, session)


def _saved_message(preview, session):
    counts = "、".join(f"{label} {n:,}件" for label, n in preview.plan.totals() if label != "エラーのある行")
    session = TrainingSession.objects.with_participant_counts().get(pk=session.pk)
    return (
        f"貼り付けた{preview.data_rows:,}行を「{preview.sheet_record}」として保存しました: {counts}。"
        f"この研修の参加者数は{session.participant_count:,}人です。取り消すときは、出席者名簿の取込の一覧からこの取込を削除します。"
    )


def paste_view(session_admin, request, object_id):
    """Show the paste form; 「確認する」 previews the rows, 「保存」 writes them (all or nothing)."""
    session = session_admin.get_object(request, unquote(object_id))
    if session is None:
        raise Http404("研修が見つかりません。")
    if not can_paste(request, session_admin, session):
        raise PermissionDenied
    change_url = reverse("admin:trainings_trainingsession_change", args=[session.pk])
    form = PasteForm(request.POST or None)
    preview, problem = None, ""
    if request.method == "POST" and form.is_valid():
        text = form.cleaned_data["text"]
        save = "_save" in request.POST
        if save and form.cleaned_data["previewed"] != digest_of(text):
            save = False
            problem = "貼り付けた内容が確認のあとで変わりました。内容をもう一度確かめてから「保存」を押してください。"
        try:
            preview = paste_attendance(
                text, session, user=request.user, save=save, use_roster_count=form.cleaned_data["use_roster_count"]
            )
        except PasteError as error:
            problem = str(error)
        else:
            if preview.sheet_record is not None:
                sheet_admin = session_admin.admin_site._registry.get(AttendanceSheet)
                if sheet_admin is not None:
                    sheet_admin.log_addition(request, preview.sheet_record, [{"added": {}}])
                messages.success(request, _saved_message(preview, session))
                return HttpResponseRedirect(change_url)
            form = PasteForm(
                initial={
                    "text": text,
                    "previewed": preview.digest,
                    "use_roster_count": form.cleaned_data["use_roster_count"],
                }
            )
    context = {
        **session_admin.admin_site.each_context(request),
        "title": "Excel から出席者を貼り付け",
        "subtitle": str(session),
        "opts": session_admin.model._meta,
        "media": session_admin.media,  # the project's admin styles (focus outlines …)
        "original": session,
        "session": session,
        "change_url": change_url,
        "form": form,
        "problem": problem,
        "preview": preview,
        "errors_shown": preview.errors[:MAX_ERRORS_SHOWN] if preview else [],
        "errors_hidden": max(0, len(preview.errors) - MAX_ERRORS_SHOWN) if preview else 0,
        "unmatched": sorted(preview.plan.unmatched_organizations.items()) if preview else [],
        "unmatched_more": preview.plan.unmatched_organizations.more_text if preview else "",
        "columns": PASTE_COLUMNS,
        "can_save": bool(preview and preview.is_valid and preview.has_rows_to_save),
    }
    request.current_app = session_admin.admin_site.name
    return TemplateResponse(request, "admin/trainings/trainingsession/paste.html", context)
