"""Forms of the admin's sheet import: upload (with kind and session) and confirmation."""

from django import forms
from django.conf import settings
from django.contrib import admin
from django.template.defaultfilters import filesizeformat

from core.admin.widgets import SafeAutocompleteSelect
from trainings.importing.limits import too_large_message
from trainings.models import Attendance, SheetKind, TrainingSession

AUTO = "auto"
KIND_CHOICES = [(AUTO, "見出しから自動判定"), *SheetKind.choices]


class SheetImportForm(forms.Form):
    """Upload step. `cleaned_data["data"]` holds the file's bytes once valid."""

    kind = forms.ChoiceField(label="名簿の種類", choices=KIND_CHOICES, initial=AUTO, widget=forms.RadioSelect)
    session = forms.ModelChoiceField(
        label="対象の研修",
        queryset=TrainingSession.objects.all(),
        required=False,
        help_text="「1研修の出席者名簿」のときに選びます（研修名・日付で検索できます）。",
    )
    import_file = forms.FileField(
        label="ファイル",
        help_text="Excel で保存した CSV（Shift_JIS/CP932 または UTF-8）か XLSX。文字コードは自動で判別します。",
        error_messages={"required": "取り込むファイルを選んでください。", "empty": "ファイルが空です（0 バイト）。"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        session = self.fields["session"]
        session.widget = SafeAutocompleteSelect(Attendance._meta.get_field("session"), admin.site)
        session.widget.choices = session.choices
        limit = filesizeformat(settings.IMPORT_MAX_UPLOAD_BYTES)
        self.fields["import_file"].help_text += f" 上限 {limit}。"

    def clean_import_file(self):
        upload = self.cleaned_data["import_file"]
        if upload.size > settings.IMPORT_MAX_UPLOAD_BYTES:
            raise forms.ValidationError(too_large_message(upload.size))
        self.cleaned_data["data"] = b"".join(upload.chunks())
        return upload

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("kind") == SheetKind.PARTICIPANTS and not cleaned.get("session"):
            self.add_error("session", "「1研修の出席者名簿」では対象の研修を選んでください。")
        return cleaned


class SheetConfirmForm(forms.Form):
    """Confirm (or cancel) step: names the stored upload and repeats the choices of the preview."""

    import_file_name = forms.CharField(widget=forms.HiddenInput, max_length=64)
    original_file_name = forms.CharField(widget=forms.HiddenInput, max_length=255)
    kind = forms.ChoiceField(choices=SheetKind.choices, widget=forms.HiddenInput)
    session = forms.ModelChoiceField(queryset=TrainingSession.objects.all(), required=False, widget=forms.HiddenInput)
