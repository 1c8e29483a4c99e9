import datetime

import pytest
from django.core.exceptions import ValidationError

from core.illustrative import IllustrativeFieldsFormField
from trainings.models import TrainingSession


def test_public_value_hides_only_flagged_fields():
    session = TrainingSession(
        title="研修", date=datetime.date(2018, 6, 1), venue="会場", headcount=5, illustrative_fields="venue headcount"
    )
    assert session.is_illustrative_field("venue") and not session.is_illustrative_field("title")
    assert session.public_value("venue") is None and session.public_value("headcount") is None
    assert session.public_value("title") == "研修"
    assert session.illustrative_fields_display() == "会場、参加者数（集計値）"


def test_the_admin_form_field_offers_the_models_fields_in_japanese_and_stores_names():
    field = TrainingSession._meta.get_field("illustrative_fields").formfield()
    assert isinstance(field, IllustrativeFieldsFormField)
    choices = dict(field.choices)
    assert choices["date"] == "開催日" and choices["venue"] == "会場"
    assert "illustrative_fields" not in choices and "data_note" not in choices
    assert field.clean(["date", "venue"]) == "date venue"
    assert field.prepare_value("date venue") == ["date", "venue"]
    assert not field.has_changed("venue date", ["date", "venue"])


@pytest.mark.django_db
def test_an_unknown_field_name_is_refused_in_japanese():
    session = TrainingSession(title="研修", date=datetime.date(2018, 6, 1), illustrative_fields="date nonsense")
    with pytest.raises(ValidationError, match="例示の項目に存在しない項目"):
        session.full_clean(exclude=["fiscal_year"])
