from django.apps import AppConfig


class TrainingsConfig(AppConfig):
    name = "trainings"
    verbose_name = "研修"

    def ready(self):
        # The system check of the derived-figure triggers, and the fixture loads' derived columns.
        from trainings import checks, signals  # noqa: F401
