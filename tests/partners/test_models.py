import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from partners.models import Bureau, Collaboration, Organization, Ward


@pytest.mark.django_db
def test_the_18_wards_exist_after_migrate():
    wards = list(Ward.objects.values_list("code", "name"))
    assert len(wards) == 18
    assert wards[0] == ("14101", "鶴見区")
    assert ("14105", "南区") in wards
    assert wards[-1] == ("14118", "都筑区")


@pytest.mark.django_db
def test_duplicate_ward_code_is_refused_in_japanese():
    ward = Ward(code="14105", name="重複区")
    with pytest.raises(ValidationError) as excinfo:
        ward.full_clean()
    assert "この団体コードの区は既に登録されています。" in str(excinfo.value)


@pytest.mark.django_db
def test_organization_name_is_unique(organization):
    with pytest.raises(ValidationError, match="この名称の団体は既に登録されています"):
        Organization(name=organization.name, kind="other").full_clean()
    with transaction.atomic(), pytest.raises(IntegrityError):
        Organization.objects.create(name=organization.name)


@pytest.mark.django_db
def test_one_collaboration_per_bureau_and_year(bureau):
    Collaboration.objects.create(fiscal_year=2018, bureau=bureau, description="研修の共同開催")
    with pytest.raises(ValidationError, match="この年度・局の連携は既に登録されています"):
        Collaboration(fiscal_year=2018, bureau=bureau, description="別の内容").full_clean()
    Collaboration(fiscal_year=2019, bureau=bureau, description="翌年度").full_clean()


@pytest.mark.django_db
def test_collaboration_fiscal_year_range_is_checked(bureau):
    with pytest.raises(ValidationError, match="1989年度以降"):
        Collaboration(fiscal_year=18, bureau=bureau, description="x").full_clean()


@pytest.mark.django_db
def test_str_of_partner_models(ward, bureau, organization):
    collaboration = Collaboration.objects.create(fiscal_year=2018, bureau=bureau, description="x")
    assert str(ward) == "南区"
    assert str(bureau) == "市民局"
    assert str(organization) == "テスト地域ケアプラザ"
    assert str(collaboration) == "2018年度（平成30年度） 市民局"


@pytest.mark.django_db
def test_natural_keys_round_trip(ward, bureau, organization):
    assert Ward.objects.get_by_natural_key(*ward.natural_key()) == ward
    assert Bureau.objects.get_by_natural_key(*bureau.natural_key()) == bureau
    assert Organization.objects.get_by_natural_key(*organization.natural_key()) == organization
