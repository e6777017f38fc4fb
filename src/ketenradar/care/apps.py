from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CareConfig(AppConfig):
    name = "ketenradar.care"
    label = "care"
    verbose_name = _("Chain care: cases, plans and phases")
