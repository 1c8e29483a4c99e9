"""Forms of the public pages."""

from django import forms

from outreach.models import CaseStatus, CaseTheme, Scheme
from partners.models import Ward

ANY = [("", "すべて")]


class CaseFilterForm(forms.Form):
    """The GET form of the published-cases list: ward, theme, scheme, status and words to search."""

    ward = forms.ModelChoiceField(
        label="区", queryset=Ward.objects.order_by("code"), to_field_name="code", required=False, empty_label="すべて"
    )
    theme = forms.ChoiceField(label="テーマ", choices=ANY + CaseTheme.choices, required=False)
    scheme = forms.ModelChoiceField(
        label="活用した制度", queryset=Scheme.objects.order_by("order", "name"), required=False, empty_label="すべて"
    )
    status = forms.ChoiceField(label="状況", choices=ANY + CaseStatus.choices, required=False)
    q = forms.CharField(
        label="キーワード", max_length=100, required=False, help_text="事例名・概要・地区名から探します"
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Error messages for hand-edited URLs, in the UI language.
        for name in ("ward", "theme", "scheme", "status"):
            self.fields[name].error_messages["invalid_choice"] = "選択肢にない値です。「すべて」で表示しています。"
        self.fields["q"].error_messages["max_length"] = "キーワードは100文字以内で入力してください。"

    def filters(self):
        """Return the keyword arguments for selectors.search_published_cases; invalid fields are left out."""
        self.is_valid()
        data = self.cleaned_data
        return {
            "ward": data.get("ward"),
            "theme": data.get("theme", ""),
            "scheme": data.get("scheme"),
            "status": data.get("status", ""),
            "text": data.get("q", ""),
        }

    @property
    def is_filtered(self):
        return any(self.filters().values())
