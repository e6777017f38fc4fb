"""The words of the tijdelijk huisverbod (Wet tijdelijk huisverbod; reference section 5).

Identifiers are English, stored values Dutch."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class OrderStatus(models.TextChoices):
    IMPOSED = "opgelegd", _("imposed")
    EXTENDED = "verlengd", _("extended")
    ENDED = "afgelopen", _("ended")
    WITHDRAWN = "ingetrokken", _("withdrawn")


# The state machine; every other step is refused by the services. An order is extended only
# by an extension decision (``extension_decide``), never by a plain status change.
TRANSITIONS: dict[str, frozenset[str]] = {
    OrderStatus.IMPOSED: frozenset(
        {OrderStatus.EXTENDED, OrderStatus.ENDED, OrderStatus.WITHDRAWN}
    ),
    OrderStatus.EXTENDED: frozenset({OrderStatus.ENDED, OrderStatus.WITHDRAWN}),
    OrderStatus.ENDED: frozenset(),
    OrderStatus.WITHDRAWN: frozenset(),
}
RUNNING_STATUSES = (OrderStatus.IMPOSED, OrderStatus.EXTENDED)


class Capacity(models.TextChoices):
    """In what capacity an official decided (recorded as fact). The burgemeester imposes the
    order, or a hulpofficier van justitie imposes it on the mayor's behalf; extending and
    withdrawing cannot be mandated (reference section 5)."""

    MAYOR = "burgemeester", _("mayor (burgemeester)")
    AUXILIARY_PROSECUTOR = (
        "hovj_namens_burgemeester",
        _("auxiliary public prosecutor (hulpofficier van justitie) on the mayor's behalf"),
    )


class RihgOutcome(models.TextChoices):
    """The conclusion of the RiHG (Risicotaxatie-instrument Huiselijk Geweld), recorded as the
    assessor wrote it (reference section 5: the decision logic as a municipal site presents
    it). An order can be recorded whatever the outcome: the outcome is a fact, not a gate."""

    NO_OFFENCE_NO_THREAT = (
        "geen_delict_geen_dreiging",
        _("no criminal offence and no serious threat"),
    )
    NO_OFFENCE_SERIOUS_THREAT = (
        "geen_delict_ernstige_dreiging",
        _("no criminal offence, but a serious threat"),
    )
    OFFENCE_VERY_SERIOUS_THREAT = (
        "delict_zeer_ernstige_dreiging",
        _("a criminal offence and a very serious threat"),
    )
    OTHER = "anders", _("other conclusion (see the note)")


class PersonRole(models.TextChoices):
    REMOVED = "uithuisgeplaatste", _("person removed from the home")
    REMAINING = "achterblijver", _("person remaining in the home")
    CHILD = "kind", _("child")


class ExtensionOutcome(models.TextChoices):
    EXTENDED = "verlengd", _("extended")
    NOT_EXTENDED = "niet_verlengd", _("not extended")
