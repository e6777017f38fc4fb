"""factory_boy factories shared by the apps' tests."""

from __future__ import annotations

import datetime as dt

import factory
from factory.django import DjangoModelFactory

from ketenradar.access.constants import InvolvementKind
from ketenradar.access.models import Involvement
from ketenradar.accounts.models import Membership, Role, User
from ketenradar.persons.models import Address, Household, HouseholdMembership, Person
from ketenradar.regions.constants import OrganisationType
from ketenradar.regions.models import Municipality, Organisation, Region


class RegionFactory(DjangoModelFactory):
    class Meta:
        model = Region
        django_get_or_create = ("code",)

    name = factory.Sequence(lambda n: f"Regio {n}")
    code = factory.Sequence(lambda n: f"regio-{n}")


class MunicipalityFactory(DjangoModelFactory):
    class Meta:
        model = Municipality

    cbs_code = factory.Sequence(lambda n: f"GM{9000 + n:04d}")
    name = factory.Sequence(lambda n: f"Gemeente {n}")
    region = factory.SubFactory(RegionFactory)
    inhabitants = 50_000
    inhabitants_reference_date = dt.date(2024, 1, 1)


class OrganisationFactory(DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"Organisatie {n}")
    type = OrganisationType.VEILIG_THUIS
    region = factory.SubFactory(RegionFactory)


class UserFactory(DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = factory.Faker("first_name", locale="nl_NL")
    last_name = factory.Faker("last_name", locale="nl_NL")
    password = factory.django.Password("correct-horse-battery")


class MembershipFactory(DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    role = factory.LazyFunction(lambda: Role.objects.get(code="vt_professional"))
    valid_from = dt.date(2020, 1, 1)


class PersonFactory(DjangoModelFactory):
    class Meta:
        model = Person

    given_names = factory.Faker("first_name", locale="nl_NL")
    surname = factory.Faker("last_name", locale="nl_NL")
    birth_year = 1985
    birth_month = 3
    birth_day = 14
    sex = "v"
    bsn = None
    no_bsn_reason = "onbekend"


class AddressFactory(DjangoModelFactory):
    class Meta:
        model = Address

    person = factory.SubFactory(PersonFactory)
    street = "Spui"
    house_number = 70
    postcode = "2511BT"
    city = "Den Haag"
    valid_from = dt.date(2020, 1, 1)


class HouseholdFactory(DjangoModelFactory):
    class Meta:
        model = Household

    label = factory.Sequence(lambda n: f"Huishouden {n}")


class HouseholdMembershipFactory(DjangoModelFactory):
    class Meta:
        model = HouseholdMembership

    household = factory.SubFactory(HouseholdFactory)
    person = factory.SubFactory(PersonFactory)
    role = "ouder"


class InvolvementFactory(DjangoModelFactory):
    class Meta:
        model = Involvement

    person = factory.SubFactory(PersonFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    kind = InvolvementKind.VT_DOSSIER
    purpose = "Veilig Thuis dossier"
