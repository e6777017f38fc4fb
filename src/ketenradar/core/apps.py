from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps
from django.contrib.staticfiles.apps import StaticFilesConfig


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


class KetenradarStaticFilesConfig(StaticFilesConfig):
    """Django's static files, leaving out the npm packages' files that the screens do not
    use and that refer to files the packages do not ship: the design tokens' icon sheet
    points at ``pijltje.svg``, so the production build (hashed names, which resolves every
    ``url()``) failed on it."""

    ignore_patterns = [
        *StaticFilesConfig.ignore_patterns,
        "background-image-icon.css",
        "*.scss",
    ]
