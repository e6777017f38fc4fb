"""The assessor works a dossier through its page: decide, record feedback, extend informing,
start monitoring, record a monitoring outcome."""

from __future__ import annotations

import re
from typing import Any

from django.urls import reverse

from ketenradar.accounts.actor import Actor
from ketenradar.audit.models import AuditEvent
from ketenradar.conftest import login
from ketenradar.reports.constants import DossierState, TaskKind
from ketenradar.reports.models import Dossier, DossierTask


def test_an_assessor_works_a_dossier_through_its_page(
    assessor: Actor, dossier: Dossier, client: Any
) -> None:
    login(client, assessor.user)
    page = reverse("reports:dossier_detail", args=[dossier.uuid])
    assess_url = reverse("reports:dossier_assess", args=[dossier.uuid])
    assert f'action="{assess_url}"' in client.get(page).content.decode()

    client.post(
        reverse("reports:dossier_assess", args=[dossier.uuid]), {"decision": "voorwaarden_vervolg"}
    )
    dossier.refresh_from_db()
    assert dossier.state == DossierState.ASSESSMENT  # incomplete form: nothing decided

    response = client.post(
        reverse("reports:dossier_assess", args=[dossier.uuid]),
        {
            "acute_unsafety": "False",
            "acute_rationale": "Pleger woont elders.",
            "structural_unsafety": "True",
            "structural_rationale": "Derde melding dit jaar.",
            "multi_problem": "False",
            "multi_problem_rationale": "Geen aanwijzingen.",
            "decision": "voorwaarden_vervolg",
            "safety_conditions": "Geen geweld; hulp aanvaarden.",
        },
    )
    assert response.status_code == 302
    dossier.refresh_from_db()
    assert dossier.state == DossierState.CONDITIONS
    html = client.get(page).content.decode()
    assert "Derde melding dit jaar." in html
    ids = re.findall(r'\sid="([^"]+)"', html)  # a form per task: every label finds its input
    assert len(ids) == len(set(ids))

    feedback = DossierTask.objects.get(dossier=dossier, kind=TaskKind.FEEDBACK_AFTER_ASSESSMENT)
    client.post(
        reverse("reports:task_done", args=[dossier.uuid, feedback.pk]),
        {"content": "Politie gebeld: V&V gestart."},
    )
    feedback.refresh_from_db()
    assert feedback.done_at is not None

    inform = DossierTask.objects.get(dossier=dossier, kind=TaskKind.INFORM_PERSONS)
    due = inform.due_at
    client.post(
        reverse("reports:task_extend", args=[dossier.uuid, inform.pk]),
        {"reason": "Onderzoek politie loopt."},
    )
    inform.refresh_from_db()
    assert inform.due_at > due

    client.post(reverse("reports:dossier_move", args=[dossier.uuid]), {"to": "monitoring"})
    dossier.refresh_from_db()
    assert dossier.state == DossierState.MONITORING
    moment = dossier.monitoring_moments.order_by("due_at").first()
    client.post(
        reverse("reports:monitoring_done", args=[dossier.uuid, moment.pk]),
        {"outcome": "veilig", "note": "Rustig."},
    )
    moment.refresh_from_db()
    assert moment.outcome == "veilig"
    assert AuditEvent.objects.filter(
        user=assessor.user, object_type="reports.monitoringmoment"
    ).exists()
