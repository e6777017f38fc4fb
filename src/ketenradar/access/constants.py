from django.db import models
from django.utils.translation import gettext_lazy as _


class InvolvementKind(models.TextChoices):
    """Why an organisation (or one of its professionals) is involved with a person."""

    VT_DOSSIER = "vt_dossier", _("Veilig Thuis dossier")
    CASE_TEAM = "case_team", _("case team")
    COORDINATOR = "regie", _("case coordination")
    MDA = "mda", _("MDA++ referral")
    PLACEMENT = "opvang", _("shelter placement")
    REPORTER = "melder", _("own advice request or report")


class BreakGlassReview(models.TextChoices):
    PENDING = "open", _("to be reviewed")
    JUSTIFIED = "terecht", _("justified")
    UNJUSTIFIED = "onterecht", _("not justified")
