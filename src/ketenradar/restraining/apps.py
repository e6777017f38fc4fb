from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RestrainingConfig(AppConfig):
    name = "ketenradar.restraining"
    label = "restraining"
    verbose_name = _("Temporary restraining orders")
