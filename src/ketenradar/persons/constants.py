from django.db import models
from django.utils.translation import gettext_lazy as _


class Sex(models.TextChoices):
    FEMALE = "v", _("female")
    MALE = "m", _("male")
    X = "x", _("X (not specified)")
    UNKNOWN = "o", _("unknown")


class NameUsage(models.TextChoices):
    """BRP 'aanduiding naamgebruik'."""

    OWN = "E", _("own surname")
    PARTNER = "P", _("partner's surname")
    PARTNER_OWN = "V", _("partner's surname before own")
    OWN_PARTNER = "N", _("own surname before partner's")


class NoBsnReason(models.TextChoices):
    UNKNOWN = "onbekend", _("not known to us")
    UNDOCUMENTED = "ongedocumenteerd", _("undocumented: has no BSN")
    NOT_YET_ISSUED = "nog_niet_toegekend", _("not yet issued (newborn)")
    FOREIGN = "buitenland", _("lives abroad")


class Confidentiality(models.TextChoices):
    """Standard: visible to every involved organisation's authorised staff.

    Restricted (e.g. a colleague, a public figure, a hidden shelter address): visible only to
    users who are individually involved; organisation-wide involvement is not enough.
    """

    STANDARD = "standaard", _("standard")
    RESTRICTED = "beperkt", _("restricted")


class AddressKind(models.TextChoices):
    RESIDENTIAL = "woonadres", _("residential address")
    POSTAL = "briefadres", _("postal address")
    STAY = "verblijfadres", _("place of stay")


class ContactKind(models.TextChoices):
    PHONE = "telefoon", _("telephone")
    EMAIL = "email", _("e-mail")


class HouseholdRole(models.TextChoices):
    PARENT = "ouder", _("parent / carer")
    PARTNER = "partner", _("partner")
    CHILD = "kind", _("child")
    OTHER = "overig", _("other member")


class RelationKind(models.TextChoices):
    PARTNER = "partner", _("partner")
    EX_PARTNER = "ex_partner", _("ex-partner")
    PARENT_CHILD = "ouder_kind", _("parent of")
    SIBLING = "broer_zus", _("sibling")
    OTHER_FAMILY = "familie", _("other family")
    CARER = "verzorger", _("carer of")
    HOUSEMATE = "huisgenoot", _("housemate")


SYMMETRIC_RELATIONS = {
    RelationKind.PARTNER,
    RelationKind.EX_PARTNER,
    RelationKind.SIBLING,
    RelationKind.OTHER_FAMILY,
    RelationKind.HOUSEMATE,
}


# How a relation reads from the other person's side ("parent of" -> "child of").
REVERSE_RELATION_LABELS = {
    RelationKind.PARENT_CHILD: _("child of"),
    RelationKind.CARER: _("cared for by"),
}
