import pytest

from trainings.models import Attendance
from trainings.names import person_key


@pytest.mark.parametrize(
    ("a", "b"),
    [
        (("山田 太郎", "中村地域ケアプラザ"), ("山田　太郎", "中村 地域ケアプラザ")),
        (("髙橋①", "ＡＢＣ会"), ("髙橋①", "ABC会")),
    ],
)
def test_same_person_written_differently_gets_one_key(a, b):
    assert person_key(*a) == person_key(*b)


def test_personal_names_are_not_nfkc_folded():
    assert person_key("髙橋", "") != person_key("高橋", "")
    assert person_key("①", "") != person_key("1", "")


def test_no_name_gives_no_key():
    assert person_key("  ", "中村地域ケアプラザ") == ""


@pytest.mark.django_db
def test_unique_participants_count_distinct_named_persons(make_session, organization):
    first, second = make_session(), make_session()
    Attendance.objects.create(session=first, name="山田 太郎", organization=organization)
    Attendance.objects.create(session=second, name="山田　太郎", organization_text=organization.name)
    Attendance.objects.create(session=second, name="佐藤花子")
    Attendance.objects.create(session=second, name="")  # unnamed: counted in 延べ only

    rows = Attendance.objects.all()

    assert rows.count() == 4
    assert rows.unique_participant_count() == 2


@pytest.mark.parametrize(
    ("a", "b"),
    [("ﾀﾅｶ ｼﾞﾛｳ", "タナカ ジロウ"), ("ﾀﾅｶｼﾞﾛｳ", "タナカ　ジロウ"), ("ﾊﾟｸ", "パク")],
)
def test_halfwidth_and_fullwidth_kana_are_one_person(a, b):
    assert person_key(a, "中村地域ケアプラザ") == person_key(b, "中村地域ケアプラザ")


def test_only_halfwidth_kana_are_folded_in_names():
    assert person_key("ﾀﾅｶ①", "") == "タナカ①|"
