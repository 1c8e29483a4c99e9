"""Forms of the admin's sheet import: upload (with kind and session) and confirmation."""

from django import forms
from django.conf import settings
from django.contrib import admin
from django.template.defaultfilters import filesizeformat

from core.admin.widgets import SafeAutocompleteSelect
from trainings.importing.limits import too_large_message
from trainings.importing.sheets import Source
from trainings.models import Attendance, SheetKind, TrainingSession

AUTO = "auto"
KIND_CHOICES = [(AUTO, "見出しから自動判定"), *SheetKind.choices]


class SheetImportForm(forms.Form):
    """Upload step. `cleaned_data["data"]` holds a Source of the file's bytes once valid (read again per pass)."""

    kind = forms.ChoiceField(label="名簿の種類", choices=KIND_CHOICES, initial=AUTO, widget=forms.RadioSelect)
    session = forms.ModelChoiceField(
        label="対象の研修",
        queryset=TrainingSession.objects.all(),
        required=False,
        help_text="「1研修の出席者名簿」のときに選びます（研修名・日付で検索できます）。",
    )
    import_file = forms.FileField(
        label="ファイル",
        help_text=(
            "Excel で保存した CSV（Shift_JIS/CP932 または UTF-8）、「Unicode テキスト」（UTF-16）か XLSX。"
            "文字コードは自動で判別します。"
        ),
        error_messages={"required": "取り込むファイルを選んでください。", "empty": "ファイルが空です（0 バイト）。"},
    )

    sheet_name = forms.CharField(
        label="シート名",
        required=False,
        max_length=31,
        help_text="XLSX に名簿のシートが複数あり、1研修の名簿として1つを取り込むときに、そのシートの名前を入れます。",
    )
    include_hidden = forms.BooleanField(
        label="非表示・取り消し線の行も取り込む",
        required=False,
        help_text="XLSX で非表示にした行や取り消し線を引いた行は、ふだんは取り込みません（確認画面に一覧します）。",
    )

    use_roster_count = forms.BooleanField(
        label="名簿の人数を参加者数にする",
        required=False,
        help_text=(
            "名簿の行数が入力済みの参加者数より少ないときは、名簿を取り込んでも参加者数は入力済みの人数のままです"
            "（名簿は一部として記録します）。名簿の行数を参加者数にするときだけ選びます。"
        ),
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
        # A large upload is a temporary file on disk (FILE_UPLOAD_MAX_MEMORY_SIZE): read from there, pass by pass.
        if hasattr(upload, "temporary_file_path"):
            self.cleaned_data["data"] = Source(path=upload.temporary_file_path())
        else:
            self.cleaned_data["data"] = Source(b"".join(upload.chunks()))
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
    sheet_name = forms.CharField(required=False, max_length=31, widget=forms.HiddenInput)
    include_hidden = forms.BooleanField(required=False, widget=forms.HiddenInput)
    use_roster_count = forms.BooleanField(required=False, widget=forms.HiddenInput)
