from django.apps import AppConfig


class CoreConfig(AppConfig):
    """The ground floor: fiscal years and eras, formatting, validators, history, spreadsheets, admin helpers.

    It has no models of its own and imports no app of the project.
    """

    name = "core"
    verbose_name = "共通"

    def ready(self):
        from django.contrib.admin.templatetags import admin_list

        from core import checks  # noqa: F401  (registers the system checks)
        from core.admin.display import boolean_icon

        # Django's yes/no icons say alt="True"/"False" to a screen reader, in English.
        admin_list._boolean_icon = boolean_icon
