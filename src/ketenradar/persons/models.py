"""Persons, their addresses and contact details, households and relations.

A person need not have a BSN (undocumented, newborn), a given name (newborn) or a full
date of birth (only the year may be known). Nothing here decides who may see a person:
that is ``ketenradar.access.policy``.
"""

from __future__ import annotations

import datetime as dt
import uuid

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ketenradar.persons.constants import (
    AddressKind,
    Confidentiality,
    ContactKind,
    HouseholdRole,
    NameUsage,
    NoBsnReason,
    RelationKind,
    Sex,
)
from ketenradar.persons.validators import validate_bsn, validate_postcode


class Person(models.Model):
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    given_names = models.CharField(_("given names"), max_length=200, blank=True)
    initials = models.CharField(_("initials"), max_length=20, blank=True)
    surname_prefix = models.CharField(_("tussenvoegsel"), max_length=20, blank=True)
    surname = models.CharField(_("surname"), max_length=200, blank=True)
    birth_surname_prefix = models.CharField(_("birth tussenvoegsel"), max_length=20, blank=True)
    birth_surname = models.CharField(
        _("birth surname"),
        max_length=200,
        blank=True,
        help_text=_("Only when it differs from the surname (name change, adoption)."),
    )
    partner_surname_prefix = models.CharField(
        _("partner's tussenvoegsel"), max_length=20, blank=True
    )
    partner_surname = models.CharField(_("partner's surname"), max_length=200, blank=True)
    name_usage = models.CharField(
        _("name used"), max_length=1, choices=NameUsage.choices, default=NameUsage.OWN
    )
    birth_year = models.PositiveSmallIntegerField(_("year of birth"), null=True, blank=True)
    birth_month = models.PositiveSmallIntegerField(_("month of birth"), null=True, blank=True)
    birth_day = models.PositiveSmallIntegerField(_("day of birth"), null=True, blank=True)
    sex = models.CharField(_("sex"), max_length=1, choices=Sex.choices, default=Sex.UNKNOWN)
    bsn = models.CharField(
        _("BSN"), max_length=9, null=True, blank=True, unique=True, validators=[validate_bsn]
    )
    no_bsn_reason = models.CharField(
        _("why there is no BSN"), max_length=20, choices=NoBsnReason.choices, blank=True
    )
    confidentiality = models.CharField(
        _("confidentiality"),
        max_length=10,
        choices=Confidentiality.choices,
        default=Confidentiality.STANDARD,
    )
    merged_into = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="merged_persons",
        verbose_name=_("merged into"),
        help_text=_(
            "Set when the radar merged this person into another (a confirmed match): a "
            "tombstone kept for undo, never shown in searches."
        ),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("persons")
        ordering = ["surname", "given_names", "pk"]
        default_permissions = ("add", "change")
        permissions = [
            ("view_client_data", _("Can view client data of persons one is involved with")),
            ("search_persons", _("Can search persons (within what one may see)")),
            ("lookup_person_identity", _("Can look up a person's identity for the access log")),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(birth_month__isnull=True) | Q(birth_year__isnull=False),
                name="person_birth_month_needs_year",
            ),
            models.CheckConstraint(
                condition=Q(birth_day__isnull=True) | Q(birth_month__isnull=False),
                name="person_birth_day_needs_month",
            ),
            models.CheckConstraint(
                condition=Q(birth_month__isnull=True) | Q(birth_month__gte=1, birth_month__lte=12),
                name="person_birth_month_range",
            ),
            models.CheckConstraint(
                condition=Q(birth_day__isnull=True) | Q(birth_day__gte=1, birth_day__lte=31),
                name="person_birth_day_range",
            ),
            models.CheckConstraint(
                condition=Q(bsn__isnull=True) | Q(no_bsn_reason=""),
                name="person_bsn_or_reason",
            ),
        ]

    def __str__(self) -> str:
        return self.display_name

    def clean(self) -> None:
        if self.birth_day and (self.birth_year is None or self.birth_month is None):
            raise ValidationError(_("A day of birth needs a month and a year."))
        if self.birth_month and self.birth_year is None:
            raise ValidationError(_("A month of birth needs a year."))
        if self.birth_year and self.birth_month and self.birth_day:
            try:
                dt.date(self.birth_year, self.birth_month, self.birth_day)
            except (ValueError, OverflowError) as exc:  # OverflowError: a year like 10^40
                raise ValidationError(_("This date of birth does not exist.")) from exc
        if self.bsn and self.no_bsn_reason:
            raise ValidationError(_("A person with a BSN needs no reason for lacking one."))

    @staticmethod
    def _join(prefix: str, name: str) -> str:
        return " ".join(part for part in (prefix, name) if part)

    @property
    def own_surname(self) -> str:
        return self._join(self.surname_prefix, self.surname)

    @property
    def used_surname(self) -> str:
        own = self.own_surname
        partner = self._join(self.partner_surname_prefix, self.partner_surname)
        if not partner:
            return own
        usage = self.name_usage
        if usage == NameUsage.PARTNER:
            return partner
        if usage == NameUsage.PARTNER_OWN:
            return f"{partner}-{own}" if own else partner
        if usage == NameUsage.OWN_PARTNER:
            return f"{own}-{partner}" if own else partner
        return own

    @property
    def display_name(self) -> str:
        first = self.given_names or self.initials
        surname = self.used_surname
        if not first and not surname:
            return str(_("(no name known)"))
        if not first:
            no_given_name = str(_("(no given name)"))
            return f"{no_given_name} {surname}"
        return f"{first} {surname}".strip()

    @property
    def date_of_birth(self) -> dt.date | None:
        if self.birth_year and self.birth_month and self.birth_day:
            return dt.date(self.birth_year, self.birth_month, self.birth_day)
        return None

    @property
    def date_of_birth_display(self) -> str:
        if self.birth_year is None:
            return str(_("unknown"))
        day = f"{self.birth_day:02d}" if self.birth_day else "??"
        month = f"{self.birth_month:02d}" if self.birth_month else "??"
        return f"{day}-{month}-{self.birth_year}"


class Address(models.Model):
    """An address in a person's history; the current one has no ``valid_until``."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="addresses")
    kind = models.CharField(
        _("kind"), max_length=20, choices=AddressKind.choices, default=AddressKind.RESIDENTIAL
    )
    street = models.CharField(_("street"), max_length=200)
    house_number = models.PositiveIntegerField(_("house number"))
    house_letter = models.CharField(_("house letter"), max_length=1, blank=True)
    house_number_addition = models.CharField(_("addition"), max_length=4, blank=True)
    postcode = models.CharField(_("postcode"), max_length=6, validators=[validate_postcode])
    city = models.CharField(_("city"), max_length=100)
    municipality = models.ForeignKey(
        "regions.Municipality", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    valid_from = models.DateField(_("from"), null=True, blank=True)
    valid_until = models.DateField(_("until"), null=True, blank=True)
    is_confidential = models.BooleanField(
        _("confidential address"),
        default=False,
        help_text=_("E.g. a shelter address: shown only to those individually involved."),
    )

    class Meta:
        verbose_name = _("address")
        verbose_name_plural = _("addresses")
        ordering = ["person", "-valid_from"]
        indexes = [models.Index(fields=["postcode", "house_number"], name="address_pc_nr")]

    def __str__(self) -> str:
        return self.one_line

    @property
    def house_number_full(self) -> str:
        extra = self.house_letter + (
            f"-{self.house_number_addition}" if self.house_number_addition else ""
        )
        return f"{self.house_number}{extra}"

    @property
    def postcode_display(self) -> str:
        return (
            f"{self.postcode[:4]} {self.postcode[4:]}" if len(self.postcode) == 6 else self.postcode
        )

    @property
    def one_line(self) -> str:
        return f"{self.street} {self.house_number_full}, {self.postcode_display} {self.city}"


class ContactDetail(models.Model):
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="contact_details")
    kind = models.CharField(_("kind"), max_length=10, choices=ContactKind.choices)
    value = models.CharField(_("value"), max_length=200)
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("contact detail")
        verbose_name_plural = _("contact details")

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.value}"


class Household(models.Model):
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    label = models.CharField(_("name"), max_length=200)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("household")
        verbose_name_plural = _("households")
        default_permissions = ("add", "change")

    def __str__(self) -> str:
        return self.label


class HouseholdMembership(models.Model):
    """A person's membership of a household over time."""

    household = models.ForeignKey(Household, on_delete=models.CASCADE, related_name="memberships")
    person = models.ForeignKey(
        Person, on_delete=models.CASCADE, related_name="household_memberships"
    )
    role = models.CharField(_("role"), max_length=10, choices=HouseholdRole.choices)
    start_date = models.DateField(_("from"), null=True, blank=True)
    end_date = models.DateField(_("until"), null=True, blank=True)

    class Meta:
        verbose_name = _("household member")
        verbose_name_plural = _("household members")
        ordering = ["household", "role", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True)
                | Q(start_date__isnull=True)
                | Q(end_date__gte=models.F("start_date")),
                name="household_membership_dates",
            )
        ]

    def __str__(self) -> str:
        return f"{self.person} in {self.household}"


class Relation(models.Model):
    """A relation from one person to another (for 'parent of' and 'carer of': from -> to)."""

    from_person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="relations_from")
    to_person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="relations_to")
    kind = models.CharField(_("kind"), max_length=12, choices=RelationKind.choices)
    start_date = models.DateField(_("from"), null=True, blank=True)
    end_date = models.DateField(_("until"), null=True, blank=True)

    class Meta:
        verbose_name = _("relation")
        verbose_name_plural = _("relations")
        constraints = [
            models.CheckConstraint(
                condition=~Q(from_person=models.F("to_person")), name="relation_not_self"
            ),
            models.UniqueConstraint(
                fields=["from_person", "to_person", "kind"], name="relation_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.from_person} - {self.get_kind_display()} - {self.to_person}"
