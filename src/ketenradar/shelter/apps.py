from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ShelterConfig(AppConfig):
    name = "ketenradar.shelter"
    label = "shelter"
    verbose_name = _("Shelter")
