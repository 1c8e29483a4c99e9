from django.apps import AppConfig


class CoreConfig(AppConfig):
    """The ground floor: fiscal years and eras, formatting, validators, history, spreadsheets, admin helpers.

    It has no models of its own and imports no app of the project.
    """

    name = "core"
    verbose_name = "共通"

    def ready(self):
        from core import checks  # noqa: F401  (registers the system checks)
