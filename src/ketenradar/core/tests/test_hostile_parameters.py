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
