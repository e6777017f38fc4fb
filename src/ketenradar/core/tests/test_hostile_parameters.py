"""Hostile parameters answer 400, not 500; a refused API-key request names the key's user."""

from __future__ import annotations

from django.test import Client
from django.urls import reverse

import pytest
from rest_framework.test import APIClient

from ketenradar.accounts.actor import Actor
from ketenradar.accounts.constants import RoleCode
from ketenradar.accounts.tokens import api_token_create
from ketenradar.audit.models import AuditEvent
from ketenradar.conftest import World, login
from ketenradar.core.http import MAX_PAGE_NUMBER, ascii_int
from ketenradar.persons.forms import PersonForm
from ketenradar.regions.forms import OrganisationForm


@pytest.mark.parametrize(
    "page",
    ["²", "٣", "３", "10" + "0" * 26, str(MAX_PAGE_NUMBER + 1), "0", "-1", "1.5", "1e3", " 1"],
)
def test_a_page_number_that_is_not_one_answers_400(world: World, client: Client, page: str) -> None:
    login(client, world.user(RoleCode.VT_PROFESSIONAL, "involved"))
    assert client.get(reverse("persons:list"), {"pagina": page}).status_code == 400


@pytest.mark.parametrize("page", ["", "1", "2", str(MAX_PAGE_NUMBER)])
def test_a_page_number_within_bounds_shows_the_list(
    world: World, client: Client, page: str
) -> None:
    login(client, world.user(RoleCode.VT_PROFESSIONAL, "involved"))
    assert client.get(reverse("persons:list"), {"pagina": page}).status_code == 200


def test_whole_numbers_are_read_in_ascii_digits_within_a_bound() -> None:
    assert ascii_int("42") == 42
    assert ascii_int("2147483647") == 2**31 - 1
    for hostile in ("²", "٤٢", "４２", "2147483648", "9" * 400, "", "-1", "+1", " 1", None, 42):
        assert ascii_int(hostile) is None, hostile


def test_a_refused_api_key_request_names_the_keys_system_user(world: World) -> None:
    """A key whose user may not use the police channel: the refusal names that user."""
    holder = world.actor(RoleCode.CHAIN_PARTNER, "other_org")
    assert holder.user is not None
    key = api_token_create(actor=Actor.system("test"), user=holder.user, name="koppeling")
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    response = client.post(reverse("api:police-reports"), {"reports": []}, format="json")
    assert response.status_code == 403
    refusal = AuditEvent.objects.filter(outcome="denied").get()
    assert refusal.user_id == holder.user.pk
    assert refusal.username == holder.user.username
    assert refusal.role == "chain_partner"


@pytest.mark.parametrize("key", [str(10**40), str(2**63), "٣", "-1", "1.5", ""])
def test_a_multiple_choice_of_out_of_range_keys_is_a_form_error(world: World, key: str) -> None:
    """Django checks each key on its own, then asks for them all with ``__in``: 10^40 failed
    there in the database driver (a 500 on the organisation and MDA++ conference forms)."""
    form = OrganisationForm(
        {"name": "Zorg", "type": "overig", "municipalities": [key]}, region=world.region
    )
    assert not form.is_valid()
    assert "municipalities" in form.errors


def test_a_date_of_birth_beyond_any_year_is_a_form_error(world: World) -> None:
    """``date(10**40, 1, 1)`` raised OverflowError, not ValueError (a 500 on /personen/nieuw/)."""
    form = PersonForm(
        {
            "given_names": "Eva",
            "surname": "Jansen",
            "birth_day": "1",
            "birth_month": "1",
            "birth_year": str(10**40),
            "no_bsn_reason": "onbekend",
        }
    )
    assert not form.is_valid()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("method", "path", "data"),
    [
        ("get", "/personen/", {"q": "Jan\x00sen"}),
        ("get", "/admin/axes/accessattempt/", {"q": "\x00"}),
        ("get", "/", {"x\x00": "1"}),
        ("post", "/account/inloggen/", {"username": "a\x00b", "password": "x"}),
    ],
)
def test_a_nul_character_in_any_parameter_is_a_400(
    client: Client, world: World, method: str, path: str, data: dict[str, str]
) -> None:
    """PostgreSQL refuses NUL in text, so it never reaches a query or the access log."""
    login(client, world.user("functional_admin", "involved"))
    response = getattr(client, method)(path, data)
    assert response.status_code == 400
