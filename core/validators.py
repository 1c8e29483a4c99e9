"""Field validators shared by the apps."""

from django.core.validators import MaxValueValidator, MinValueValidator

# Fiscal years the portal accepts: the program started in FY2016; older records may be
# entered for context, and a few years ahead are allowed for plans.
FISCAL_YEAR_VALIDATORS = [
    MinValueValidator(1989, message="年度は1989年度以降を入力してください。"),
    MaxValueValidator(2100, message="年度は2100年度以前を入力してください。"),
]
