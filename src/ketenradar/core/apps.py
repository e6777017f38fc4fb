from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps


class CoreConfig(AppConfig):
    default = True
    name = "ketenradar.core"
    label = "core"
    verbose_name = "Ketenradar core"

    def ready(self) -> None:
        from ketenradar.core.logging import configure_structlog

        configure_structlog()


class KetenradarAdminConfig(admin_apps.AdminConfig):
    """The Django admin, on a site that only functional admins may use."""

    default = False
    default_site = "ketenradar.core.admin_site.KetenradarAdminSite"
