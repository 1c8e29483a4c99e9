from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "portal"
    verbose_name = "ポータル"

    def ready(self):
        from portal.signals import connect_public_data_receivers

        connect_public_data_receivers()
