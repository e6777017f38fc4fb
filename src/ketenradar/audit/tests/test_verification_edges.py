"""Edges of ``verify_chain`` that the other tests leave open: an empty log with a
checkpoint file, the event a head that counts too many names, and where a rewritten log
starts when no earlier checkpoint agrees."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from ketenradar.accounts.actor import Actor
from ketenradar.audit import services as audit
from ketenradar.audit.constants import AuditAction
from ketenradar.audit.models import AuditChainHead
from ketenradar.audit.tests.tamper import delete_events, head_to_last_event
from ketenradar.audit.verification import verify_chain


def _events(n: int, kind: str = "original") -> None:
    for i in range(n):
        audit.record(
            actor=Actor.system("test"),
            action=AuditAction.READ,
            object_type="persons.person",
            object_id=f"{kind}-{i}",
            person_ids=[i],
        )


@pytest.fixture
def checkpoint_file(settings: Any, tmp_path: Path) -> Path:
    path = tmp_path / "audit-checkpoints.jsonl"
    settings.KETENRADAR_AUDIT_CHECKPOINT_PATH = path
    settings.KETENRADAR_AUDIT_CHECKPOINT_EVERY = 5
    return path


@pytest.mark.django_db
def test_an_empty_log_with_an_empty_checkpoint_file_is_intact(checkpoint_file: Path) -> None:
    checkpoint_file.write_text("")
    report = verify_chain()
    assert (report.ok, report.checked, report.checkpoints) == (True, 0, 0)


@pytest.mark.django_db
def test_a_head_that_counts_more_events_names_the_first_missing_one() -> None:
    _events(6)
    delete_events(6)  # the head still records 6
    report = verify_chain()
    assert (report.ok, report.checked, report.broken_seq) == (False, 5, 6)
    assert report.problem == "the chain head records 6 events, the log holds 5"


@pytest.mark.django_db
def test_a_head_that_counts_fewer_events_names_the_event_after_it() -> None:
    _events(6)
    AuditChainHead.objects.filter(pk=1).update(seq=4)
    report = verify_chain()
    assert (report.ok, report.checked, report.broken_seq) == (False, 6, 7)


@pytest.mark.django_db
def test_a_log_rewritten_before_its_first_checkpoint_says_from_event_1_on(
    checkpoint_file: Path, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        _events(7)  # a checkpoint of event 5
    delete_events(3, 4, 5, 6, 7)
    head_to_last_event()
    _events(5, kind="replacement")
    report = verify_chain()
    assert (report.ok, report.broken_seq, report.checkpoints) == (False, 5, 0)
    assert report.problem.endswith("the log was rewritten from an event between 1 and 5 on")
