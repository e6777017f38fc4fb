from django.db import models
from django.utils.translation import gettext_lazy as _


class OrganisationType(models.TextChoices):
    VEILIG_THUIS = "veilig_thuis", _("Veilig Thuis")
    LOCAL_TEAM = "lokaal_team", _("Local team")
    POLICE = "politie", _("Police")
    PUBLIC_PROSECUTOR = "om", _("Public Prosecution Service (OM)")
    PROBATION = "reclassering", _("Probation service")
    MENTAL_HEALTH = "ggz", _("Mental health care (GGZ)")
    PUBLIC_HEALTH = "ggd", _("Public health service (GGD)")
    YOUTH_PROTECTION = "jeugdbescherming", _("Youth protection")
    CHILD_PROTECTION_BOARD = "raad_kinderbescherming", _("Child Protection Board")
    SHELTER = "opvang", _("Shelter")
    EDUCATION = "onderwijs", _("Education")
    HEALTH_CARE = "zorg", _("Health care / GP")
    MUNICIPALITY = "gemeente", _("Municipality")
    OTHER = "overig", _("Other")
