"""Who may import and read budgets: the service and the selectors decide, not only the views."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404

import pytest

from ketenradar.accounts.actor import Actor
from ketenradar.accounts.constants import RoleCode
from ketenradar.programme import selectors, services
from ketenradar.programme.models import Budget
from ketenradar.programme.tests.conftest import Haaglanden, duvo_csv

pytestmark = pytest.mark.django_db


def test_only_a_programme_manager_of_the_region_imports(haaglanden: Haaglanden) -> None:
    with pytest.raises(PermissionDenied):
        haaglanden.import_csv(actor=haaglanden.officer)
    elsewhere = haaglanden.world.actor(RoleCode.PROGRAMME_MANAGER, "other_region")
    with pytest.raises(PermissionDenied):
        haaglanden.import_csv(actor=elsewhere)
    assert not Budget.objects.exists()
    # the demo seeder acts as a system actor
    services.budget_import(
        actor=Actor.system("system:seed_demo"),
        region=haaglanden.world.region,
        content=duvo_csv().encode(),
        file_format="csv",
    )
    assert Budget.objects.get().name == "Haaglanden 2019-2022"


def test_budgets_are_read_within_the_region(haaglanden: Haaglanden) -> None:
    budget = haaglanden.import_csv().budget
    assert list(selectors.budget_list(actor=haaglanden.officer)) == [budget]
    elsewhere = haaglanden.world.actor(RoleCode.POLICY_OFFICER, "other_region")
    assert not selectors.budget_list(actor=elsewhere).exists()
    with pytest.raises(Http404):
        selectors.budget_overview(actor=elsewhere, pk=budget.pk)
    outsider = haaglanden.world.actor(RoleCode.VT_PROFESSIONAL)
    assert not selectors.budget_list(actor=outsider).exists()
    with pytest.raises(PermissionDenied):
        selectors.budget_totals(actor=outsider, budget=budget)
