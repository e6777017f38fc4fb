"""The screens: the list, recording an order from a household (a form that validates), and
the order's page with its deadlines and forms."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.test import Client
from django.urls import reverse

from ketenradar.accounts.models import User
from ketenradar.conftest import login
from ketenradar.restraining.constants import OrderStatus
from ketenradar.restraining.models import ExtensionDecision, RestrainingOrder
from ketenradar.restraining.tests.conftest import T0, Family

DAY = dt.timedelta(days=1)


def signed_in(client: Client, family: Family) -> Client:
    assert isinstance(family.vt.user, User)
    return login(client, family.vt.user)


def test_the_list_shows_the_deadlines_and_no_names(client: Client, family: Family) -> None:
    order = family.register()
    html = signed_in(client, family).get(reverse("restraining:list")).content.decode()
    assert str(order) in html
    assert "10-11-2026 14:00" in html  # end of day 8: the advice to the mayor
    assert "12-11-2026 14:00" in html  # the end after 10 days
    assert "Boer" not in html


def test_recording_from_a_household_with_a_form_that_validates(
    client: Client, family: Family
) -> None:
    signed_in(client, family)
    found = client.get(reverse("restraining:register_start"), {"q": "de Boer"}).content.decode()
    url = reverse("restraining:register", kwargs={"household": family.household.uuid})
    assert url in found
    form = {
        "municipality": family.den_haag.pk,
        "imposed_at": "2026-11-02T13:30",
        "imposed_by_capacity": "hovj_namens_burgemeester",
        "imposed_by_name": "J. de Vries, HOvJ",
        "rihg_outcome": "delict_zeer_ernstige_dreiging",
        f"role_{family.father.pk}": "uithuisgeplaatste",
        f"role_{family.mother.pk}": "uithuisgeplaatste",
        f"role_{family.child.pk}": "kind",
    }
    refused = client.post(url, form)
    assert refused.status_code == 200
    assert "precies één uithuisgeplaatste" in refused.content.decode()
    assert not RestrainingOrder.objects.exists()

    form[f"role_{family.mother.pk}"] = "achterblijver"
    response = client.post(url, form)
    order = RestrainingOrder.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("restraining:detail", kwargs={"uuid": order.uuid})
    assert order.persons.count() == 3
    page = client.get(response["Location"]).content.decode()
    assert "12-11-2026 13:30" in page  # end after 10 days
    assert "30-11-2026 13:30" in page  # the latest end: 28 days


def test_a_household_the_actor_may_not_see_is_refused(client: Client, family: Family) -> None:
    from ketenradar.accounts.constants import RoleCode

    coordinator = family.world.user(RoleCode.CASE_COORDINATOR, "other_org")
    login(client, coordinator)
    url = reverse("restraining:register", kwargs={"household": family.household.uuid})
    assert client.get(url).status_code == 403


def test_the_extension_form_refuses_a_non_mayor_and_accepts_the_mayor(
    client: Client, family: Family, frozen: Any
) -> None:
    order = family.register()
    frozen.move_to(T0 + 7 * DAY + dt.timedelta(hours=3))
    signed_in(client, family)
    url = reverse("restraining:extension", kwargs={"uuid": order.uuid})
    form = {
        "outcome": "verlengd",
        "decided_at": "2026-11-09T15:00",
        "decided_by_capacity": "hovj_namens_burgemeester",
        "decided_by_name": "J. de Vries",
        "new_end": "2026-11-30T14:00",
    }
    page = client.post(url, form, follow=True).content.decode()
    assert "Alleen de burgemeester" in page
    assert not ExtensionDecision.objects.exists()
    form |= {"decided_by_capacity": "burgemeester", "decided_by_name": "J. van Zanen"}
    client.post(url, form)
    order.refresh_from_db()
    assert order.status == OrderStatus.EXTENDED


def test_the_status_form_withdraws_an_order(client: Client, family: Family) -> None:
    order = family.register()
    signed_in(client, family)
    client.post(
        reverse("restraining:status", kwargs={"uuid": order.uuid}),
        {
            "to": "ingetrokken",
            "decided_by_capacity": "burgemeester",
            "decided_by_name": "J. van Zanen",
            "reason": "Gevaar geweken",
        },
    )
    order.refresh_from_db()
    assert order.status == OrderStatus.WITHDRAWN


def test_help_safety_plan_and_violation_forms(client: Client, family: Family, frozen: Any) -> None:
    order = family.register()
    frozen.move_to(T0 + 2 * DAY)
    signed_in(client, family)
    assert family.vt.organisation is not None
    org = family.vt.organisation.pk
    kw = {"uuid": order.uuid}
    client.post(
        reverse("restraining:help", kwargs=kw),
        {"organisation": org, "started_at": "2026-11-03T10:00"},
    )
    client.post(
        reverse("restraining:safety_plan", kwargs=kw),
        {"organisation": org, "made_at": "2026-11-03T16:00", "summary": "Afspraken"},
    )
    client.post(
        reverse("restraining:violation", kwargs=kw),
        {
            "occurred_at": "2026-11-03T22:00",
            "description": "Aan de deur",
            "reported_to_police": "on",
        },
    )
    assert order.help.count() == order.safety_plans.count() == order.violations.count() == 1
    assert order.violations.get().reported_to_police
