"""The demo region: Haaglanden as in seed 002, one user per role, a synthetic population;
seeding twice changes nothing."""

from __future__ import annotations

from django.apps import apps
from django.core.management import call_command

import pytest

from ketenradar.accounts.actor import Actor
from ketenradar.accounts.constants import RoleCode
from ketenradar.accounts.models import Membership
from ketenradar.audit.verification import verify_chain
from ketenradar.persons.models import Person
from ketenradar.persons.validators import is_valid_bsn
from ketenradar.programme.calculations import column_totals, columns_of
from ketenradar.programme.models import ActionNote, Budget
from ketenradar.programme.selectors import programme_overview
from ketenradar.regions.models import Municipality, Organisation


def _snapshot() -> dict[str, int]:
    return {
        m._meta.label: m.objects.count()
        for m in apps.get_models()
        if m._meta.app_label not in {"sessions"}
    }


def _actor(username: str) -> Actor:
    membership = Membership.objects.select_related("user", "organisation__region", "role__group")
    found = membership.get(user__username=username)
    return Actor(user=found.user, membership=found)


@pytest.mark.django_db
def test_seeding_twice_changes_nothing() -> None:
    call_command("seed_demo", households=40, history_years=0.1, history_scale=0.05, verbosity=0)
    first = _snapshot()
    call_command("seed_demo", households=40, history_years=0.1, history_scale=0.05, verbosity=0)
    assert _snapshot() == first
    assert verify_chain().ok


@pytest.mark.django_db
def test_demo_region_content(capsys: pytest.CaptureFixture[str]) -> None:
    call_command("seed_demo", households=40, history_years=0)
    out = capsys.readouterr().out
    munis = Municipality.objects.all()
    assert munis.count() == 9
    assert {m.subregion.name for m in munis} == {"DWO", "Den Haag"}
    assert {m.centrumgemeente.name for m in munis} == {"Den Haag", "Delft"}
    assert Organisation.objects.count() == 58  # seed 002, Bijlage 2
    assert Organisation.objects.get(name="Veilig Thuis Haaglanden").type == "veilig_thuis"
    for role in RoleCode:
        membership = Membership.objects.get(role__code=role)
        assert membership.user.username in out
    persons = Person.objects.all()
    assert persons.count() > 80
    assert all(is_valid_bsn(p.bsn) for p in persons if p.bsn)
    assert persons.filter(bsn__isnull=True).exists()
    assert persons.exclude(surname_prefix="").exists()
    # seed 002 chapter V, imported through the service: balanced in all eight columns
    budget = Budget.objects.get()
    assert (budget.first_year, budget.last_year) == (2019, 2022)
    lines = list(budget.lines.all())
    totals = column_totals(lines, columns_of(lines))
    assert len(totals) == 8 and all(t.balanced for t in totals)
    assert budget.totals.count() == 24
    assert "Demo budget: 160 lines (32 p.m.), 0 printed totals off" in out
    # seeds 002 and 001: the six development tasks with actions, written by the manager
    overview = programme_overview(actor=_actor("programma"))
    assert [t.task.code for t in overview.tasks] == [
        "preventie",
        "vroegsignalering",
        "advies_melding",
        "interventies",
        "monitoring",
        "ketensamenwerking",
    ]
    assert all(t.results and t.action_count for t in overview.tasks)
    assert {a.title for a in overview.overdue} >= {
        "Preventie en vroegsignalering borgen bij de GGD GIA",
        "Beschikbare monitors omzetten in bruikbare kennis voor de regionale ketensamenwerking",
    }
    assert ActionNote.objects.filter(status_to="").exists()
    assert not ActionNote.objects.exclude(author__username="programma").exists()
    assert "Demo programme: 6 development tasks, 10 actions." in out


@pytest.mark.django_db
def test_demo_chain_care_has_cases_in_every_phase(capsys: pytest.CaptureFixture[str]) -> None:
    from ketenradar.care.constants import Phase
    from ketenradar.care.models import Case
    from ketenradar.care.selectors import case_lists, escalations_for_lead

    call_command("seed_demo", households=80, history_years=0)
    assert "Demo chain care: 13 cases." in capsys.readouterr().out
    assert set(Case.objects.values_list("phase", flat=True)) == set(Phase.values)
    # the demo's coordinator coordinates the open ones, GGZ's partner is on their teams,
    # the lead sees the escalated ones
    open_cases = Case.objects.exclude(phase=Phase.CLOSED).count()
    assert len(case_lists(actor=_actor("regisseur")).coordinating) == open_cases
    assert len(case_lists(actor=_actor("ketenpartner")).on_team) == open_cases
    assert (
        len([r for r in escalations_for_lead(actor=_actor("teamleider.wijkteam")) if r.escalation])
        >= 2
    )
    assert verify_chain().ok
