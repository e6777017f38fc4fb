"""The meldcode assistant for professionals; Veilig Thuis's intake, contacts, work queue
and dossiers."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import BadRequest, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from ketenradar.accounts.actor import Actor
from ketenradar.audit.constants import AuditAction
from ketenradar.core import clock
from ketenradar.core.http import actor_of, page_number
from ketenradar.reports import selectors, services
from ketenradar.reports.constants import (
    AssessmentDecision,
    Channel,
    ContactKind,
    DossierState,
    MonitoringOutcome,
    QueueAssignment,
    QueueTab,
    ReporterCategory,
    ViolenceType,
)
from ketenradar.reports.forms import (
    AssessmentForm,
    AssignForm,
    ContactIntakeForm,
    DossierMoveForm,
    ExtendForm,
    InvestigationForm,
    MeldcodeForm,
    MonitoringForm,
    PersonFormSet,
    ReportContentForm,
    ReporterForm,
    SubmitToVeiligThuisForm,
    TaskDoneForm,
    filled_person_rows,
    investigation_outcomes,
    reported_persons,
)
from ketenradar.reports.meldcode import Answers, weigh
from ketenradar.reports.models import Contact

USE_MELDCODE = "reports.use_meldcode"


@require_safe
@login_required
def meldcode_start(request: HttpRequest) -> HttpResponse:
    """First question, before anything else: is someone in danger right now?"""
    actor = actor_of(request, USE_MELDCODE)
    return render(
        request, "reports/meldcode_start.html", {"records": selectors.meldcode_records(actor=actor)}
    )


@require_safe
@login_required
def meldcode_acute(request: HttpRequest) -> HttpResponse:
    actor_of(request, USE_MELDCODE)
    return render(request, "reports/meldcode_acute.html")


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def meldcode_new(request: HttpRequest) -> HttpResponse:
    actor = actor_of(request, USE_MELDCODE)
    form = MeldcodeForm(request.POST or None)
    persons = PersonFormSet(request.POST or None, prefix="persoon")
    if request.method == "POST" and form.is_valid() and persons.is_valid():
        described = [
            {**p, "date_of_birth": p["date_of_birth"].isoformat() if p.get("date_of_birth") else ""}
            for p in filled_person_rows(persons)
        ]
        record = services.meldcode_record_create(
            actor=actor, persons=described, **form.cleaned_data
        )
        return redirect("reports:meldcode_detail", uuid=record.uuid)
    return render(request, "reports/meldcode_form.html", {"form": form, "persons": persons})


@require_safe
@login_required
def meldcode_detail(request: HttpRequest, uuid: str) -> HttpResponse:
    actor = actor_of(request, USE_MELDCODE)
    record = selectors.meldcode_record(actor=actor, record_uuid=uuid)
    weighing = weigh(
        Answers(
            suspicion=record.suspicion,
            acute=record.acute_unsafety,
            structural=record.structural_unsafety,
            can_offer_help=record.can_offer_help,
            help_accepted=record.help_accepted,
            leads_to_safety=record.leads_to_safety,
        )
    )
    initial = {"kind": ContactKind.REPORT if weighing.must_report else ContactKind.ADVICE}
    context = {
        "record": record,
        "weighing": weighing,
        "submit_form": SubmitToVeiligThuisForm(initial=initial),
        "feedback": selectors.reporter_feedback(actor=actor, record=record),
    }
    return render(request, "reports/meldcode_detail.html", context)


@require_POST
@login_required
def meldcode_submit(request: HttpRequest, uuid: str) -> HttpResponse:
    actor = actor_of(request, USE_MELDCODE)
    record = selectors.meldcode_record(actor=actor, record_uuid=uuid, action=AuditAction.CREATE)
    form = SubmitToVeiligThuisForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Complete the request to Veilig Thuis."))
        return redirect("reports:meldcode_detail", uuid=record.uuid)
    try:
        contact = services.meldcode_submit(
            actor=actor,
            record=record,
            kind=ContactKind(form.cleaned_data["kind"]),
            violence_types=[ViolenceType(v) for v in form.cleaned_data["violence_types"]],
            phone=form.cleaned_data["phone"],
            human_trafficking=form.cleaned_data["human_trafficking"],
            description=form.cleaned_data["description"],
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request, _("Sent to Veilig Thuis: %(kind)s.") % {"kind": contact.get_kind_display()}
        )
    return redirect("reports:meldcode_detail", uuid=record.uuid)


def _queue_choice(request: HttpRequest, param: str, allowed: list[str]) -> str:
    """A work-queue parameter: empty when absent; a 400 for a value the page does not offer
    (as ``page_number`` does for the page)."""
    value = request.GET.get(param, "")
    if value not in allowed:
        raise BadRequest(f"{param}: one of {', '.join(v for v in allowed if v)}")
    return value


@require_safe
@login_required
def work_queue(request: HttpRequest) -> HttpResponse:
    """One tab of the work queue, a page at a time; tab, filters and page in the query
    string (``tab``, ``acuut=ja``, ``toegewezen=mij|niemand``, ``pagina``)."""
    actor = actor_of(request, selectors.VIEW_VT_WORK)
    tab = QueueTab(_queue_choice(request, "tab", ["", *QueueTab.values]) or QueueTab.ASSESSMENT)
    assignments = [QueueAssignment.ANYONE, QueueAssignment.ME]
    if actor.has_perm(selectors.ASSIGN_VT_WORK):
        assignments.append(QueueAssignment.NOBODY)
    filters = selectors.QueueFilter(
        acute_only=_queue_choice(request, "acuut", ["", "ja"]) == "ja",
        assigned=QueueAssignment(_queue_choice(request, "toegewezen", list(assignments))),
    )
    queue = selectors.work_queue(actor=actor, tab=tab, filters=filters, page=page_number(request))
    # the filters go along with the tabs (from page 1) and with the page links
    kept = {"acuut": "ja" if filters.acute_only else "", "toegewezen": filters.assigned.value}
    kept = {k: v for k, v in kept.items() if v}
    context = {
        "queue": queue,
        "overdue": queue.overdue[tab.value],
        "assignments": [(a.value, a.label) for a in assignments],
        "filter_query": urlencode(kept),
        "page_query": urlencode({"tab": tab.value, **kept}),
        "page_links": list(
            queue.page.paginator.get_elided_page_range(queue.page.number, on_ends=1)
        ),
        "ellipsis": queue.page.paginator.ELLIPSIS,
        "may_register": actor.has_perm(services.VIEW_REPORTER_IDENTITY),
    }
    return render(request, "reports/work_queue.html", context)


def _registered(request: HttpRequest, contact: Contact) -> HttpResponse:
    """After registering: a report on its dossier page, an advice request on its own."""
    if contact.dossier is not None:
        messages.success(
            request,
            _("Report registered: %(category)s.")
            % {"category": contact.get_earlier_involvement_display()},
        )
        return redirect("reports:dossier_detail", uuid=contact.dossier.uuid)
    messages.success(request, _("Advice request registered."))
    return redirect("reports:contact_detail", uuid=contact.uuid)


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def contact_new(request: HttpRequest) -> HttpResponse:
    """Veilig Thuis's intake registers a telephone call, a chat, a contact from another
    region's Veilig Thuis or a web form: an advice request or a report."""
    actor = actor_of(request, services.VIEW_REPORTER_IDENTITY)
    data = request.POST if request.method == "POST" else None
    form = ContactIntakeForm(data)
    content = ReportContentForm(data)
    persons = PersonFormSet(data, prefix="persoon")
    reporter = ReporterForm(data, prefix="melder")
    if data is not None and all(f.is_valid() for f in (form, content, persons, reporter)):
        try:
            contact = services.contact_register(
                actor=actor,
                kind=ContactKind(form.cleaned_data["kind"]),
                channel=Channel(form.cleaned_data["channel"]),
                reporter_category=ReporterCategory(form.cleaned_data["reporter_category"]),
                received_at=form.cleaned_data["received_at"],
                persons=reported_persons(persons),
                reporter=reporter.reporter(),
                **content.content(),
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            return _registered(request, contact)
    context = {"form": form, "content": content, "persons": persons, "reporter": reporter}
    return render(request, "reports/contact_form.html", context)


def _contact_page(
    request: HttpRequest, actor: Actor, detail: selectors.ContactDetail, data: Any = None
) -> HttpResponse:
    context: dict[str, Any] = {
        "detail": detail,
        "contact": detail.contact,
        "matches": selectors.match_reviews(actor=actor, contacts=[detail.contact]),
        "match_next": "contact",
    }
    may_convert = (
        detail.contact.kind == ContactKind.ADVICE
        and detail.converted_to is None
        and actor.has_perm(services.VIEW_REPORTER_IDENTITY)
    )
    if may_convert:
        known = detail.reporter
        initial = (
            {
                f: getattr(known, f)
                for f in ("name", "organisation_name", "function", "phone", "email")
            }
            if known
            else None
        )
        context["convert"] = {
            "content": ReportContentForm(
                data, initial={"violence_types": detail.contact.violence_types}
            ),
            "reporter": ReporterForm(data, prefix="melder", initial=initial),
            "persons": PersonFormSet(data, prefix="persoon"),
        }
    return render(request, "reports/contact_detail.html", context)


@require_safe
@login_required
def contact_detail(request: HttpRequest, uuid: str) -> HttpResponse:
    actor = actor_of(request)
    return _contact_page(request, actor, selectors.contact_detail(actor=actor, contact_uuid=uuid))


def _match_decision(
    request: HttpRequest, uuid: Any, proposal: Any, decide: Any, ok: str
) -> HttpResponse:
    """The radar's proposals on the intake screen: the decision service checks who may
    decide (a refusal is logged, 403); the outcome is shown where the assessor works, the
    dossier page (or the contact's page for an advice request)."""
    actor = actor_of(request)
    found = selectors.match_proposal(contact_uuid=uuid, proposal_uuid=proposal)
    try:
        decide(actor, found)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, ok)
    contact = get_object_or_404(Contact.objects.select_related("dossier"), uuid=uuid)
    if contact.dossier is not None and request.POST.get("next") != "contact":
        return redirect("reports:dossier_detail", uuid=contact.dossier.uuid)
    return redirect("reports:contact_detail", uuid=contact.uuid)


@require_POST
@login_required
def match_confirm(request: HttpRequest, uuid: Any, proposal: Any) -> HttpResponse:
    return _match_decision(
        request,
        uuid,
        proposal,
        lambda actor, found: services.match_confirm(actor=actor, proposal=found),
        _("Match confirmed: the earlier contacts are on the timeline."),
    )


@require_POST
@login_required
def match_reject(request: HttpRequest, uuid: Any, proposal: Any) -> HttpResponse:
    return _match_decision(
        request,
        uuid,
        proposal,
        lambda actor, found: services.match_reject(
            actor=actor, proposal=found, reason=request.POST.get("reason", "")
        ),
        _("Match rejected: this pair will not be proposed again."),
    )


@require_POST
@login_required
def match_undo(request: HttpRequest, uuid: Any, proposal: Any) -> HttpResponse:
    return _match_decision(
        request,
        uuid,
        proposal,
        lambda actor, found: services.match_undo(actor=actor, proposal=found),
        _("Merge undone: the persons are apart again."),
    )


@require_POST
@login_required
def contact_convert(request: HttpRequest, uuid: str) -> HttpResponse:
    """The advice request becomes a report; on a refusal the page shows why, with what was
    entered."""
    actor = actor_of(request, services.VIEW_REPORTER_IDENTITY)
    detail = selectors.contact_detail(actor=actor, contact_uuid=uuid, action=AuditAction.UPDATE)
    content = ReportContentForm(request.POST)
    reporter = ReporterForm(request.POST, prefix="melder")
    persons = PersonFormSet(request.POST, prefix="persoon")
    if not all(f.is_valid() for f in (content, reporter, persons)):
        messages.error(request, _("Complete the report: the type of violence and the reporter."))
        return _contact_page(request, actor, detail, request.POST)
    try:
        report = services.advice_convert(
            actor=actor,
            advice=detail.contact,
            reporter=reporter.reporter() or services.ReporterData(name=""),
            persons=reported_persons(persons),
            **content.content(),
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return _contact_page(request, actor, detail, request.POST)
    return _registered(request, report)


@require_safe
@login_required
def dossier_detail(request: HttpRequest, uuid: str) -> HttpResponse:
    actor = actor_of(request)
    detail = selectors.dossier_detail(actor=actor, dossier_uuid=uuid)
    dossier = detail.dossier
    investigation = getattr(dossier, "investigation", None)
    deadline = selectors.current_deadline(dossier)
    context: dict[str, Any] = {
        "detail": detail,
        "dossier": dossier,
        "investigation": investigation,
        "deadline": deadline,
        "overdue": deadline is not None and deadline < clock.now(),
        "matches": selectors.match_reviews(actor=actor, contacts=list(dossier.contacts.all())),
        "match_next": "dossier",
    }
    if actor.has_perm(services.ASSESS):
        if dossier.state == DossierState.ASSESSMENT:
            context["assessment_form"] = AssessmentForm(region=actor.region)
        if dossier.state == DossierState.INVESTIGATION and investigation is not None:
            context["investigation_form"] = InvestigationForm(
                violence_types=detail.violence_types, offered=services.AFTER_INVESTIGATION
            )
        if moves := services.dossier_moves(dossier):
            context["move_form"] = DossierMoveForm(offered=moves)
    if actor.has_perm(selectors.ASSIGN_VT_WORK) and dossier.state != DossierState.CLOSED:
        staff = selectors.assignable_staff(actor=actor, dossier=dossier)
        context["assign_form"] = AssignForm(staff=staff, initial={"assignee": dossier.assigned_to})
    # one form per task and per moment, each with its own ids, so every label has its input
    context["tasks"] = [
        (t, TaskDoneForm(auto_id=f"id_task{t.pk}_%s"), ExtendForm(auto_id=f"id_task{t.pk}_%s"))
        for t in dossier.tasks.select_related("contact__reporter")
    ]
    context["moments"] = [
        (m, MonitoringForm(auto_id=f"id_moment{m.pk}_%s")) for m in dossier.monitoring_moments.all()
    ]
    return render(request, "reports/dossier_detail.html", context)


def _dossier_post(
    request: HttpRequest,
    uuid: str,
    perm: str,
    make_form: Any,
    act: Any,
    ok: str,
    invalid: str,
) -> HttpResponse:
    """The dossier page's actions: the dossier through its selector, the form
    (``make_form(data, actor, dossier)``), then the service (``act(actor, dossier,
    cleaned_data)``); every outcome back on the dossier page."""
    actor = actor_of(request, perm)
    dossier = selectors.dossier_detail(
        actor=actor, dossier_uuid=uuid, action=AuditAction.UPDATE
    ).dossier
    form = make_form(request.POST, actor, dossier)
    if not form.is_valid():
        messages.error(request, invalid)
    else:
        try:
            act(actor, dossier, form.cleaned_data)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, ok)
    return redirect("reports:dossier_detail", uuid=dossier.uuid)


@require_POST
@login_required
def dossier_assess(request: HttpRequest, uuid: str) -> HttpResponse:
    return _dossier_post(
        request,
        uuid,
        services.ASSESS,
        lambda data, actor, dossier: AssessmentForm(data, region=actor.region),
        lambda actor, dossier, data: services.assessment_decide(
            actor=actor,
            dossier=dossier,
            **{**data, "decision": AssessmentDecision(data["decision"])},
        ),
        _("Safety assessment decided."),
        _("Complete every screening with its rationale and the decision."),
    )


@require_POST
@login_required
def investigation_complete(request: HttpRequest, uuid: str) -> HttpResponse:
    return _dossier_post(
        request,
        uuid,
        services.ASSESS,
        lambda data, actor, dossier: InvestigationForm(data),
        lambda actor, dossier, data: services.investigation_complete(
            actor=actor,
            dossier=dossier,
            outcomes=investigation_outcomes(data),
            closed_early=data["closed_early"],
            next_state=DossierState(data["next_state"]),
        ),
        _("Investigation completed."),
        _("Give the outcomes, or close the investigation early, and the next step."),
    )


@require_POST
@login_required
def dossier_move(request: HttpRequest, uuid: str) -> HttpResponse:
    return _dossier_post(
        request,
        uuid,
        services.ASSESS,
        lambda data, actor, dossier: DossierMoveForm(data),
        lambda actor, dossier, data: services.dossier_move(
            actor=actor, dossier=dossier, to=DossierState(data["to"])
        ),
        _("Dossier moved on."),
        _("Choose the next step."),
    )


@require_POST
@login_required
def dossier_assign(request: HttpRequest, uuid: str) -> HttpResponse:
    return _dossier_post(
        request,
        uuid,
        selectors.ASSIGN_VT_WORK,
        lambda data, actor, dossier: AssignForm(
            data, staff=selectors.assignable_staff(actor=actor, dossier=dossier)
        ),
        lambda actor, dossier, data: services.dossier_assign(
            actor=actor, dossier=dossier, assignee=data["assignee"]
        ),
        _("Assignment recorded."),
        _("Choose a member of staff of this Veilig Thuis."),
    )


@require_POST
@login_required
def task_done(request: HttpRequest, uuid: str, pk: int) -> HttpResponse:
    return _dossier_post(
        request,
        uuid,
        selectors.VIEW_VT_WORK,
        lambda data, actor, dossier: TaskDoneForm(data),
        lambda actor, dossier, data: services.task_complete(
            actor=actor, task=get_object_or_404(dossier.tasks, pk=pk), content=data["content"]
        ),
        _("Recorded."),
        _("Record what was said."),
    )


@require_POST
@login_required
def task_extend(request: HttpRequest, uuid: str, pk: int) -> HttpResponse:
    return _dossier_post(
        request,
        uuid,
        selectors.VIEW_VT_WORK,
        lambda data, actor, dossier: ExtendForm(data),
        lambda actor, dossier, data: services.informing_extend(
            actor=actor, task=get_object_or_404(dossier.tasks, pk=pk), reason=data["reason"]
        ),
        _("Extended by 2 weeks."),
        _("An extension needs a reason."),
    )


@require_POST
@login_required
def monitoring_done(request: HttpRequest, uuid: str, pk: int) -> HttpResponse:
    return _dossier_post(
        request,
        uuid,
        selectors.VIEW_VT_WORK,
        lambda data, actor, dossier: MonitoringForm(data),
        lambda actor, dossier, data: services.monitoring_record(
            actor=actor,
            moment=get_object_or_404(dossier.monitoring_moments, pk=pk),
            outcome=MonitoringOutcome(data["outcome"]),
            note=data["note"],
            action=data["action"],
        ),
        _("Monitoring outcome recorded."),
        _("Give the outcome and a note."),
    )
