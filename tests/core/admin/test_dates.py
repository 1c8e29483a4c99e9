import datetime
import re

import pytest
from django.core.exceptions import ValidationError

from core.admin.dates import ACCEPTED_FORMS, EraDateWidget, JapaneseDateField, era_label

MAY_20 = datetime.date(2019, 5, 20)


@pytest.mark.parametrize(
    "typed",
    ["2019-05-20", "2019/5/20", "2019.5.20", "2019年5月20日", "２０１９／５／２０", "令和元年5月20日", "R1.5.20"],
)
def test_dates_are_read_as_people_type_them(typed):
    assert JapaneseDateField().clean(typed) == MAY_20


@pytest.mark.parametrize(
    ("typed", "reason"),
    [
        ("2019/13/1", "13月という月はありません"),
        ("2019/2/30", "2019年2月に30日はありません"),
        ("平成32年1月1日", "平成は2019年4月30日までです"),
        ("あした", "「あした」は日付として読めません"),
        ("5/20", "「5/20」は日付として読めません"),
    ],
)
def test_a_date_that_cannot_be_read_is_refused_with_the_reason_and_the_forms(typed, reason):
    with pytest.raises(ValidationError) as refused:
        JapaneseDateField().clean(typed)
    assert re.search(reason, refused.value.messages[0]), refused.value.messages
    # Every refusal ends in the same words: the forms the box accepts.
    assert refused.value.messages[0].endswith(f"（入力できる形式: {ACCEPTED_FORMS}）")
    assert "例:" not in refused.value.messages[0]


def test_an_empty_optional_date_is_none():
    assert JapaneseDateField(required=False).clean("") is None


def test_the_widget_shows_the_era_date_beside_the_box():
    html = EraDateWidget().render("date", MAY_20, {"id": "id_date"})
    assert 'value="2019-05-20"' in html and '<span class="era-date" id="id_date_era"' in html
    assert "令和元年5月20日</span>" in html
    assert "令和元年5月20日" in EraDateWidget().render("date", "R1.5.20", {"id": "id_date"})
    assert era_label("まちがい") == "" and era_label(datetime.date(2019, 4, 30)) == "平成31年4月30日"
