"""Field validators shared by the apps."""

from django.core.validators import MaxValueValidator, MinValueValidator

from core.fiscal import FIRST_FISCAL_YEAR, LAST_FISCAL_YEAR

FISCAL_YEAR_VALIDATORS = [
    MinValueValidator(FIRST_FISCAL_YEAR, message=f"年度は{FIRST_FISCAL_YEAR}年度以降を入力してください。"),
    MaxValueValidator(LAST_FISCAL_YEAR, message=f"年度は{LAST_FISCAL_YEAR}年度以前を入力してください。"),
]
