"""Publishing a fiscal year from the dashboard: a confirm page with what will change, then the publication.

GET shows the year's latest publication and the differences the records bring (anyone who may
read the dashboard); POST publishes (portal.publish_fiscal_year, the 管理職 role) and goes back
to the dashboard. The work is done by portal.services.publish_fiscal_year.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from core.fiscal import fiscal_year_label, is_allowed_fiscal_year
from portal.access import manager_required
from portal.publication.published import publication_history
from portal.roles import PUBLISH_PERMISSION
from portal.services import current_figures, publication_state, publish_fiscal_year

NO_PUBLISH_PERMISSION = "年度の数値を公開する権限がありません。公開は「管理職」の役割の職員が行います。"
NOTE_MAX_LENGTH = 1000


@manager_required
@require_http_methods(["GET", "POST"])
def publish(request, fy):
    """The confirm page of publishing `fy` (GET) and the publication itself (POST)."""
    if not is_allowed_fiscal_year(fy):
        return render(request, "dashboard/not_found.html", {"message": f"{fy}年度は公開できません。"}, status=404)
    may_publish = request.user.has_perm(PUBLISH_PERMISSION)
    state = publication_state(fiscal_year=fy)
    error = ""
    if request.method == "POST":
        if not may_publish:
            raise PermissionDenied(NO_PUBLISH_PERMISSION)
        note = request.POST.get("note", "")
        if len(note) > NOTE_MAX_LENGTH:
            error = f"変更の説明は{NOTE_MAX_LENGTH}文字以内で入力してください（{len(note)}文字）。"
        elif state.is_published and not state.differs:
            error = "前回の公開から数値に変更がないため、公開しませんでした。"
        else:
            publication = publish_fiscal_year(fiscal_year=fy, user=request.user, note=note)
            messages.success(
                request, f"{fiscal_year_label(fy)}の数値を公開しました（{publication.published_on_label}公開）。"
            )
            return redirect("dashboard_year", fy=fy)
    figures = current_figures(fy)
    return render(
        request,
        "dashboard/publish.html",
        {
            "fiscal_year": fy,
            "label": fiscal_year_label(fy),
            "state": state,
            "summary": figures["summary"],
            "event_rows": len(figures["files"]["event"]),
            "event_withheld": figures["event_withheld"],
            "history": publication_history(fiscal_year=fy),
            "may_publish": may_publish,
            "error": error,
            "note": request.POST.get("note", "") if request.method == "POST" else "",
        },
        status=400 if error else 200,
    )
