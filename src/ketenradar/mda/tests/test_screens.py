"""The screens: the coordinator refers from /mda/aanmelden/<case>/, the core team decides,
plans a conference, weighs, adds actions, records it as held and hands the plan back. MDA++
members see referrals of their own MDA++ organisation only; another one gets a logged 403."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

import pytest

from ketenradar.accounts.constants import RoleCode
from ketenradar.audit.models import AuditEvent
from ketenradar.care import selectors as care_selectors
from ketenradar.care.models import PlanAction
from ketenradar.conftest import login
from ketenradar.mda import services
from ketenradar.mda.constants import ReferralStatus
from ketenradar.mda.models import Conference, Referral
from ketenradar.mda.tests.conftest import Mda


def _referral_post() -> dict[str, str]:
    return {
        "question": "Hoe doorbreken we het patroon?",
        "structural_unsafety": "on",
        "structural_unsafety_motivation": "Vierde melding in twee jaar.",
        "recurrence_risk": "on",
        "recurrence_risk_motivation": "Eerdere huisverboden.",
        "trauma_care_needed": "on",
        "trauma_care_needed_motivation": "Moeder en kinderen getraumatiseerd.",
    }


def test_the_whole_route_through_the_screens(mda: Mda, client: Any) -> None:
    login(client, mda.coordinator.user)
    refer_url = reverse("mda:refer", args=[mda.case.uuid])
    page = client.get(refer_url).content.decode()
    assert mda.organisation.name in page
    response = client.post(refer_url, {**_referral_post(), "mda_organisation": mda.organisation.pk})
    referral = Referral.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("mda:referral_detail", args=[referral.uuid])
    assert "Vierde melding" in client.get(response["Location"]).content.decode()

    client.logout()
    login(client, mda.member.user)
    assert referral.reference in client.get(reverse("mda:referral_list")).content.decode()
    client.post(reverse("mda:referral_accept", args=[referral.uuid]))
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.ACCEPTED

    planned = (timezone.localtime() + dt.timedelta(days=2)).strftime("%Y-%m-%dT%H:%M")
    response = client.post(
        reverse("mda:conference_plan"), {"planned_at": planned, "referrals": [referral.pk]}
    )
    conference = Conference.objects.get()
    assert response["Location"] == reverse("mda:conference_detail", args=[conference.uuid])
    item = conference.cases.get()
    prefix = f"weging-{item.pk}"
    client.post(
        reverse("mda:conference_case_weigh", args=[conference.uuid, item.pk]),
        {
            f"{prefix}-risk_factors": "Verslaving, isolement",
            f"{prefix}-protective_factors": "Steunende zus",
            f"{prefix}-global_plan": "Veiligheid eerst, dan behandeling",
        },
    )
    prefix = f"actie-{item.pk}"
    client.post(
        reverse("mda:conference_action_add", args=[conference.uuid, item.pk]),
        {
            f"{prefix}-agency": mda.agency.pk,
            f"{prefix}-owner_name": "Dr. Bos",
            f"{prefix}-description": "Traumabehandeling moeder",
            f"{prefix}-due_date": (timezone.localdate() + dt.timedelta(days=20)).isoformat(),
        },
    )
    client.post(
        reverse("mda:conference_hold", args=[conference.uuid]),
        {
            "overleg-participant_organisations": [mda.agency.pk, mda.organisation.pk],
            "overleg-participants": "GGZ: Dr. Bos; Veiligheidshuis: voorzitter",
            "overleg-next_conference_on": (
                timezone.localdate() + dt.timedelta(days=42)
            ).isoformat(),
        },
    )
    page = client.get(reverse("mda:conference_detail", args=[conference.uuid])).content.decode()
    assert "Steunende zus" in page and "Traumabehandeling moeder" in page
    client.post(reverse("mda:hand_back", args=[referral.uuid]))
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.HANDED_BACK
    assert PlanAction.objects.get(case=mda.case).from_mda

    client.logout()
    login(client, mda.coordinator.user)
    listed = client.get(refer_url).context["referrals"]
    assert [(r.uuid, r.status) for r in listed] == [(referral.uuid, ReferralStatus.HANDED_BACK)]


def test_a_referral_form_with_too_few_criteria_shows_the_rule(mda: Mda, client: Any) -> None:
    login(client, mda.coordinator.user)
    data = {**_referral_post(), "mda_organisation": mda.organisation.pk}
    del data["recurrence_risk"]
    response = client.post(reverse("mda:refer", args=[mda.case.uuid]), data)
    assert response.status_code == 200
    assert not Referral.objects.exists()


def test_the_case_is_hidden_from_mda_until_the_referral_is_accepted(mda: Mda) -> None:
    referral = mda.refer()
    roles = care_selectors.ALL_ROLES
    with pytest.raises(PermissionDenied):
        care_selectors.case_for(actor=mda.member, case_uuid=mda.case.uuid, roles=roles)
    assert AuditEvent.objects.filter(
        object_type="care.case", outcome="denied", user=mda.member.user
    ).exists()
    services.referral_accept(actor=mda.member, referral=referral)
    assert care_selectors.case_for(actor=mda.member, case_uuid=mda.case.uuid, roles=roles) == (
        mda.case
    )


def test_another_mda_organisation_gets_a_logged_403(mda: Mda, client: Any) -> None:
    referral = mda.refer()
    login(client, mda.other_member.user)
    response = client.get(reverse("mda:referral_detail", args=[referral.uuid]))
    assert response.status_code == 403
    assert AuditEvent.objects.filter(
        object_type="mda.referral",
        object_id=referral.uuid.hex,
        outcome="denied",
        person_id=mda.world.person.pk,
        user=mda.other_member.user,
    ).exists()
    assert referral.reference not in client.get(reverse("mda:referral_list")).content.decode()
    assert client.post(reverse("mda:referral_accept", args=[referral.uuid])).status_code == 403
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.REFERRED


def test_a_chain_partner_and_a_colleague_coordinator_see_no_referral(mda: Mda, client: Any) -> None:
    referral = mda.refer()
    for actor in (
        mda.world.actor(RoleCode.CHAIN_PARTNER, "involved"),
        mda.world.actor(RoleCode.CASE_COORDINATOR, "same_org"),
    ):
        client.logout()
        login(client, actor.user)
        assert client.get(reverse("mda:referral_detail", args=[referral.uuid])).status_code == 403
        assert client.get(reverse("mda:refer", args=[mda.case.uuid])).status_code == 403


def test_reading_a_referral_is_logged_with_the_household(mda: Mda, client: Any) -> None:
    referral = mda.refer()
    login(client, mda.member.user)
    assert client.get(reverse("mda:referral_detail", args=[referral.uuid])).status_code == 200
    assert AuditEvent.objects.filter(
        object_type="mda.referral",
        object_id=referral.uuid.hex,
        action="read",
        outcome="success",
        person_id=mda.world.person.pk,
        user=mda.member.user,
    ).exists()


def test_an_unknown_referral_is_404(mda: Mda, client: Any) -> None:
    login(client, mda.member.user)
    missing = "00000000-0000-0000-0000-000000000000"
    assert client.get(reverse("mda:referral_detail", args=[missing])).status_code == 404
    assert client.get(reverse("mda:conference_detail", args=[missing])).status_code == 404
