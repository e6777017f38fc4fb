"""The professional's decisions on the radar's matches: proposals at intake, confirm (merge
with history kept), undo (exactly), reject (never proposed again; a zeker link split),
household matching, authorization and the access log."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from django.apps import apps
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse

import pytest

from ketenradar.access.models import Involvement
from ketenradar.accounts.actor import Actor
from ketenradar.accounts.constants import RoleCode
from ketenradar.accounts.models import Membership, Role
from ketenradar.audit import selectors as audit_selectors
from ketenradar.audit.models import AuditEvent
from ketenradar.conftest import World, login
from ketenradar.core.tests.factories import (
    AddressFactory,
    HouseholdFactory,
    HouseholdMembershipFactory,
    MembershipFactory,
    PersonFactory,
    UserFactory,
)
from ketenradar.persons import selectors as person_selectors
from ketenradar.persons.matching import ReportedPerson
from ketenradar.persons.models import ContactDetail, HouseholdMembership, Person, Relation
from ketenradar.radar.decisions import _references
from ketenradar.radar.models import MatchProposal, PersonMerge, ProposalKind, RejectedPair
from ketenradar.radar.tests.fakes import FakeMatcher
from ketenradar.regions.constants import OrganisationType
from ketenradar.regions.models import Organisation
from ketenradar.reports import selectors, services
from ketenradar.reports.constants import (
    Channel,
    ContactKind,
    DossierState,
    EarlierInvolvement,
    PersonRole,
    ReporterCategory,
)
from ketenradar.reports.models import Contact, ContactPerson
from ketenradar.reports.tests.conftest import PoliceChannel

VICTIM = {"given_names": "Eva", "birth_year": 1990, "birth_month": 4, "birth_day": 12}


def _report(
    police: PoliceChannel, persons: list[tuple[ReportedPerson, PersonRole]], day: int = 16
) -> Contact:
    return services.contact_register(
        actor=police.actor,
        kind=ContactKind.REPORT,
        channel=Channel.POLICE,
        reporter_category=ReporterCategory.JUSTICE_SECURITY,
        received_at=dt.datetime(2026, 11, day, 22, 0, tzinfo=dt.UTC),
        persons=persons,
        reporter=services.ReporterData(name="Agent Bakker", phone="0900-8844"),
    )


def _person_of(contact: Contact) -> Person:
    return contact.persons.get().person


def _known_and_new(police: PoliceChannel, fake: type[FakeMatcher]) -> tuple[Contact, Contact]:
    """A known victim with an earlier (closed) report; a new report with her name misspelt,
    which the matcher finds as mogelijk."""
    first = _report(police, [(ReportedPerson(surname="Jansen", **VICTIM), PersonRole.VICTIM)], 2)
    assert first.dossier is not None
    first.dossier.state = DossierState.CLOSED
    first.dossier.save()
    fake.answers["Janssen"] = [(_person_of(first).pk, 0.74, "mogelijk")]
    second = _report(police, [(ReportedPerson(surname="Janssen", **VICTIM), PersonRole.VICTIM)])
    return first, second


def _rows(*persons: Person) -> set[tuple[str, Any, str, Any]]:
    """Every row that references the persons: (model, pk, field, person)."""
    ids = [p.pk for p in persons]
    out = set()
    for model, name in _references():
        attname = model._meta.get_field(name).attname
        for pk, value in model._base_manager.filter(**{f"{attname}__in": ids}).values_list(
            "pk", attname
        ):
            out.add((model._meta.label, pk, attname, value))
    return out


def _full_rows(labels: set[str]) -> dict[str, list[dict[str, Any]]]:
    return {
        label: sorted(apps.get_model(label)._base_manager.values(), key=lambda r: r["id"])
        for label in labels
    }


def test_a_mogelijk_match_is_a_proposal_and_a_new_person(
    police: PoliceChannel, fake_matcher: type[FakeMatcher]
) -> None:
    first, second = _known_and_new(police, fake_matcher)
    known, new = _person_of(first), _person_of(second)
    assert known.pk != new.pk and new.surname == "Janssen"
    proposal = MatchProposal.objects.get(source_id=second.uuid.hex)
    assert (proposal.person, proposal.candidate, proposal.status) == (new, known, "voorgesteld")
    assert proposal.band == "mogelijk" and proposal.probability == pytest.approx(0.74)
    assert proposal.evidence[0] == ["achternaam", "lijkt sterk op", 3.25]
    assert proposal.reported["surname"] == "Janssen"
    assert second.earlier_involvement == EarlierInvolvement.FIRST
    created = AuditEvent.objects.filter(object_type="radar.matchproposal", action="create")
    assert set(created.values_list("person_id", flat=True)) == {new.pk, known.pk}


def test_confirm_merges_every_row_and_undo_restores_them_exactly(
    police: PoliceChannel, fake_matcher: type[FakeMatcher], assessor: Actor
) -> None:
    first, second = _known_and_new(police, fake_matcher)
    known, new = _person_of(first), _person_of(second)
    # rows of every kind on the new person, some of which would clash with the known one's
    other = PersonFactory(surname="Bakker")
    AddressFactory(person=new, postcode="2511BT", house_number=7)
    ContactDetail.objects.create(person=new, kind="telefoon", value="06-12345678")
    household = HouseholdFactory(label="Huishouden Janssen")
    HouseholdMembershipFactory(household=household, person=new)
    Relation.objects.create(from_person=new, to_person=known, kind="partner")  # becomes self
    Relation.objects.create(from_person=known, to_person=other, kind="ouder")
    Relation.objects.create(from_person=new, to_person=other, kind="ouder")  # duplicate
    Relation.objects.create(from_person=other, to_person=new, kind="partner")  # moves
    before = _rows(known, new)
    labels = {label for label, *_ in before}
    full_before = _full_rows(labels)

    proposal = MatchProposal.objects.get(source_id=second.uuid.hex)
    services.match_confirm(actor=assessor, proposal=proposal)

    new.refresh_from_db()
    proposal.refresh_from_db()
    assert new.merged_into_id == known.pk and proposal.status == "bevestigd"
    assert not _rows(new), "nothing points at the merged person any more"
    merge = PersonMerge.objects.get(proposal=proposal)
    removed = sorted(values["id"] for label, values in merge.removed)
    assert len(removed) == 2  # the relation with itself and the duplicate
    assert ContactPerson.objects.get(contact=second).person_id == known.pk
    assert Relation.objects.filter(from_person=other, to_person=known, kind="partner").exists()
    assert merge.merged_data["surname"] == "Janssen"
    # the assessor's timeline now has the known person's earlier report
    assert second.dossier is not None
    detail = selectors.dossier_detail(actor=assessor, dossier_uuid=second.dossier.uuid)
    assert [c.pk for c in detail.timeline] == [first.pk, second.pk]
    second.refresh_from_db()
    assert second.earlier_involvement == EarlierInvolvement.REPEAT
    # the tombstone is found by no search
    found, _total = person_selectors.person_search(actor=assessor, query="Janssen")
    assert new not in found
    merge_events = AuditEvent.objects.filter(object_type="radar.matchproposal", action="merge")
    assert set(merge_events.values_list("person_id", flat=True)) == {new.pk, known.pk}

    services.match_undo(actor=assessor, proposal=proposal)

    new.refresh_from_db()
    proposal.refresh_from_db()
    assert new.merged_into_id is None and proposal.status == "ongedaan"
    assert _rows(known, new) == before
    assert _full_rows(labels) == full_before, "every row exactly as before the merge"
    second.refresh_from_db()
    assert second.earlier_involvement == EarlierInvolvement.FIRST
    assert AuditEvent.objects.filter(detail__decision="undo").exists()


def test_a_rejected_pair_is_never_proposed_again(
    police: PoliceChannel, fake_matcher: type[FakeMatcher], assessor: Actor
) -> None:
    first, second = _known_and_new(police, fake_matcher)
    known, new = _person_of(first), _person_of(second)
    proposal = MatchProposal.objects.get(source_id=second.uuid.hex)
    with pytest.raises(ValidationError):
        services.match_reject(actor=assessor, proposal=proposal, reason="  ")
    services.match_reject(actor=assessor, proposal=proposal, reason="Andere Eva: ander adres.")
    proposal.refresh_from_db()
    assert proposal.status == "afgewezen" and proposal.reason == "Andere Eva: ander adres."
    low, high = sorted((known.pk, new.pk))
    assert RejectedPair.objects.filter(low_id=low, high_id=high).exists()
    with pytest.raises(ValidationError):
        services.match_confirm(actor=assessor, proposal=proposal)

    # a third report: the new Eva for certain, the known Eva as mogelijk; in either order
    fake_matcher.answers["Janssen"] = [(known.pk, 0.8, "mogelijk"), (new.pk, 0.99, "zeker")]
    third = _report(police, [(ReportedPerson(surname="Janssen", **VICTIM), PersonRole.VICTIM)])
    assert _person_of(third) == new
    assert list(
        MatchProposal.objects.filter(source_id=third.uuid.hex).values_list("candidate_id", "status")
    ) == [(new.pk, "automatisch")]


def test_rejecting_a_zeker_link_splits_the_contacts_person(
    police: PoliceChannel, fake_matcher: type[FakeMatcher], assessor: Actor
) -> None:
    first = _report(police, [(ReportedPerson(surname="Jansen", **VICTIM), PersonRole.VICTIM)], 2)
    known = _person_of(first)
    fake_matcher.answers["Jansen"] = [(known.pk, 0.999, "zeker")]
    second = _report(police, [(ReportedPerson(surname="Jansen", **VICTIM), PersonRole.VICTIM)])
    assert _person_of(second) == known
    assert second.dossier_id == first.dossier_id  # a follow-up report in her open dossier
    proposal = MatchProposal.objects.get(source_id=second.uuid.hex)
    assert proposal.status == "automatisch" and proposal.person_id == known.pk
    known_rows = _rows(known) - {
        ("reports.ContactPerson", cp.pk, "person_id", known.pk) for cp in second.persons.all()
    }

    services.match_reject(actor=assessor, proposal=proposal, reason="Moeder, niet de dochter.")

    second.refresh_from_db()
    split = _person_of(second)
    assert split != known and (split.surname, split.birth_day) == ("Jansen", 12)
    assert not split.bsn and split.merged_into_id is None
    assert ContactPerson.objects.get(contact=first).person_id == known.pk
    assert known_rows <= _rows(known), "the known person's history is untouched"
    low, high = sorted((known.pk, split.pk))
    assert RejectedPair.objects.filter(low_id=low, high_id=high).exists()
    # the report no longer shares a person with the dossier it joined: a dossier of its own
    assert second.dossier_id != first.dossier_id
    assert second.earlier_involvement == EarlierInvolvement.FIRST
    assert Involvement.objects.filter(person=split, organisation=police.veilig_thuis).exists()
    assert AuditEvent.objects.filter(detail__decision="reject", person_id=split.pk).exists()


def test_the_access_log_of_the_survivor_includes_the_merged_persons_events(
    police: PoliceChannel, fake_matcher: type[FakeMatcher], assessor: Actor, world: World
) -> None:
    first, second = _known_and_new(police, fake_matcher)
    known, new = _person_of(first), _person_of(second)
    logged_on_new = set(AuditEvent.objects.filter(person_id=new.pk).values_list("pk", flat=True))
    assert logged_on_new
    services.match_confirm(
        actor=assessor, proposal=MatchProposal.objects.get(source_id=second.uuid.hex)
    )
    officer = world.actor(RoleCode.PRIVACY_OFFICER, "involved")
    events = audit_selectors.person_access_log(
        actor=officer, person_id=known.pk, merged_ids=person_selectors.merged_person_ids(known)
    )
    assert logged_on_new <= {e.pk for e in events}


def _vt_member(police: PoliceChannel, role: str, username: str, other: bool = False) -> Actor:
    org: Organisation = police.veilig_thuis
    if other:
        org = Organisation.objects.create(
            region=org.region, name="Veilig Thuis elders", type=OrganisationType.VEILIG_THUIS
        )
    user = UserFactory(username=username)
    MembershipFactory(user=user, organisation=org, role=Role.objects.get(code=role))
    return Actor(user=user, membership=Membership.objects.get(user=user))


def test_only_intake_staff_of_the_veilig_thuis_decide(
    police: PoliceChannel, fake_matcher: type[FakeMatcher], client: Client
) -> None:
    _first, second = _known_and_new(police, fake_matcher)
    proposal = MatchProposal.objects.get(source_id=second.uuid.hex)
    elsewhere = _vt_member(police, RoleCode.VT_PROFESSIONAL, "vt.elders", other=True)
    with pytest.raises(PermissionDenied):
        services.match_confirm(actor=elsewhere, proposal=proposal)
    denied = AuditEvent.objects.filter(
        object_type="radar.matchproposal", outcome="denied", object_id=proposal.uuid.hex
    )
    assert denied.exists()
    proposal.refresh_from_db()
    assert proposal.status == "voorgesteld"

    url = reverse("reports:match_confirm", args=[second.uuid, proposal.uuid])
    login(client, elsewhere.user)
    assert client.post(url).status_code == 403
    intake = _vt_member(police, RoleCode.VT_INTAKE, "vt.intake")
    login(client, intake.user)
    response = client.post(url)
    assert response.status_code == 302 and second.dossier is not None
    assert response["Location"] == reverse("reports:dossier_detail", args=[second.dossier.uuid])
    proposal.refresh_from_db()
    assert proposal.status == "bevestigd" and proposal.decided_by == intake.user


def test_the_intake_screen_shows_the_proposal_with_its_explanation(
    police: PoliceChannel, fake_matcher: type[FakeMatcher], client: Client, assessor: Actor
) -> None:
    first, second = _known_and_new(police, fake_matcher)
    assert second.dossier is not None
    login(client, assessor.user)
    page = client.get(reverse("reports:dossier_detail", args=[second.dossier.uuid]))
    html = page.content.decode()
    assert 'data-testid="match-proposal"' in html
    assert "lijkt sterk op" in html
    assert re.search(r"\+3[.,]3", html) and re.search(r"-2[.,]0", html)  # bits, localised
    assert "74%" in html
    assert reverse("reports:contact_detail", args=[first.uuid]) in html  # earlier contact
    page = client.get(reverse("reports:contact_detail", args=[second.uuid]))
    assert 'data-testid="match-confirm"' in page.content.decode()


def test_a_child_of_a_known_mother_joins_her_household(
    police: PoliceChannel, fake_matcher: type[FakeMatcher], assessor: Actor
) -> None:
    mother = PersonFactory(given_names="Eva", surname="Jansen")
    father = PersonFactory(given_names="Tom", surname="Jansen")
    home = HouseholdFactory(label="Huishouden Jansen")
    HouseholdMembershipFactory(household=home, person=mother, role="ouder")
    HouseholdMembershipFactory(household=home, person=father, role="ouder")
    fake_matcher.answers["Jansen"] = [(mother.pk, 0.99, "zeker")]
    contact = _report(
        police,
        [
            (ReportedPerson(surname="Jansen", **VICTIM), PersonRole.VICTIM),
            (ReportedPerson(surname="Jansen-Kind", given_names="Sem"), PersonRole.CHILD),
        ],
    )
    child = contact.persons.get(role=PersonRole.CHILD).person
    assert HouseholdMembership.objects.filter(household=home, person=child, role="kind").exists()
    link = MatchProposal.objects.get(source_id=contact.uuid.hex, kind=ProposalKind.HOUSEHOLD)
    assert link.status == "automatisch" and link.band == "zeker"
    # the professional may still reject it: the child leaves the household again
    services.match_reject(actor=assessor, proposal=link, reason="Kind van de buren.")
    assert not HouseholdMembership.objects.filter(household=home, person=child).exists()


def test_a_household_proposal_for_a_mogelijk_parent(
    police: PoliceChannel, fake_matcher: type[FakeMatcher], assessor: Actor
) -> None:
    mother = PersonFactory(given_names="Eva", surname="Jansen")
    home = HouseholdFactory(label="Huishouden Jansen")
    HouseholdMembershipFactory(household=home, person=mother, role="ouder")
    sibling = PersonFactory(given_names="Lot", surname="Jansen")
    HouseholdMembershipFactory(household=home, person=sibling, role="kind")
    fake_matcher.answers["Janssen"] = [(mother.pk, 0.7, "mogelijk")]
    contact = _report(
        police,
        [
            (ReportedPerson(surname="Janssen", **VICTIM), PersonRole.VICTIM),
            (ReportedPerson(surname="Jansen", given_names="Sem"), PersonRole.CHILD),
        ],
    )
    child = contact.persons.get(role=PersonRole.CHILD).person
    link = MatchProposal.objects.get(source_id=contact.uuid.hex, kind=ProposalKind.HOUSEHOLD)
    assert link.status == "voorgesteld" and link.members == [[child.pk, "kind"]]
    assert not HouseholdMembership.objects.filter(household=home, person=child).exists()
    services.match_confirm(actor=assessor, proposal=link)
    assert HouseholdMembership.objects.filter(household=home, person=child).exists()
    services.match_undo(actor=assessor, proposal=link)
    assert not HouseholdMembership.objects.filter(household=home, person=child).exists()


def test_a_merged_person_found_by_the_matcher_stands_for_the_survivor(
    police: PoliceChannel, fake_matcher: type[FakeMatcher], assessor: Actor
) -> None:
    first, second = _known_and_new(police, fake_matcher)
    known, new = _person_of(first), _person_of(second)
    services.match_confirm(
        actor=assessor, proposal=MatchProposal.objects.get(source_id=second.uuid.hex)
    )
    # the matcher still finds the tombstone (its keys are old): the survivor is meant
    fake_matcher.answers["Janssen"] = [(new.pk, 0.99, "zeker")]
    third = _report(police, [(ReportedPerson(surname="Janssen", **VICTIM), PersonRole.VICTIM)])
    assert _person_of(third) == known
    assert list(
        MatchProposal.objects.filter(source_id=third.uuid.hex).values_list("candidate_id", "status")
    ) == [(known.pk, "automatisch")]
