from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from ketenradar.accounts.actor import Actor
from ketenradar.core import clock
from ketenradar.core.http import actor_of
from ketenradar.programme import selectors, services
from ketenradar.programme.forms import (
    ActionForm,
    ActionNoteForm,
    ActionStatusForm,
    BudgetImportForm,
)
from ketenradar.programme.models import Action

MAX_ERRORS_SHOWN = 50


@require_safe
@login_required
def budget_list(request: HttpRequest) -> HttpResponse:
    actor = actor_of(request, selectors.VIEW_BUDGET)
    return render(
        request,
        "programme/budget_list.html",
        {
            "budgets": selectors.budget_list(actor=actor),
            "can_manage": actor.has_perm(services.MANAGE_BUDGET),
        },
    )


@require_safe
@login_required
def budget_detail(request: HttpRequest, pk: int) -> HttpResponse:
    actor = actor_of(request, selectors.VIEW_BUDGET)
    overview = selectors.budget_overview(actor=actor, pk=pk)
    return render(
        request,
        "programme/budget_detail.html",
        {"overview": overview, "can_manage": actor.has_perm(services.MANAGE_BUDGET)},
    )


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def budget_import(request: HttpRequest) -> HttpResponse:
    actor = actor_of(request, services.MANAGE_BUDGET)
    form = BudgetImportForm(request.POST or None, request.FILES or None)
    errors: list[str] = []
    if request.method == "POST" and form.is_valid():
        assert actor.region is not None
        upload = form.cleaned_data["file"]
        try:
            result = services.budget_import(
                actor=actor,
                region=actor.region,
                content=upload.read(),
                file_format=form.file_format,
                name=form.cleaned_data["name"],
                source_name=upload.name,
            )
        except services.BudgetFileError as exc:
            errors = exc.errors
        else:
            messages.success(
                request,
                _("Budget imported: %(lines)s lines, of which %(pm)s p.m.")
                % {"lines": result.lines, "pm": result.pm_lines},
            )
            if result.mismatches:
                count = len(result.mismatches)
                messages.warning(
                    request,
                    ngettext(
                        "%(count)s printed total differs from the sum of its lines.",
                        "%(count)s printed totals differ from the sum of their lines.",
                        count,
                    )
                    % {"count": count},
                )
            if result.unbalanced:
                messages.warning(
                    request,
                    _("Income and expenses differ in: %(columns)s.")
                    % {
                        "columns": ", ".join(
                            f"{t.column.year} {t.column.centrumgemeente}" for t in result.unbalanced
                        )
                    },
                )
            return redirect("programme:budget_detail", pk=result.budget.pk)
    return render(
        request,
        "programme/budget_import.html",
        {
            "form": form,
            "errors": errors[:MAX_ERRORS_SHOWN],
            "more_errors": max(len(errors) - MAX_ERRORS_SHOWN, 0),
        },
    )


# --- The implementation programme ----------------------------------------------------------


def _service_errors(form: forms.Form, exc: ValidationError) -> None:
    """A refusal of the service, shown on the form (its own field where the form has it)."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


@require_safe
@login_required
def programme_overview(request: HttpRequest) -> HttpResponse:
    actor = actor_of(request, selectors.VIEW_PROGRAMME)
    return render(
        request,
        "programme/programme_overview.html",
        {
            "overview": selectors.programme_overview(actor=actor),
            "can_manage": actor.has_perm(services.MANAGE_PROGRAMME),
        },
    )


def _action_page(
    request: HttpRequest,
    actor: Actor,
    action: Action,
    status_form: ActionStatusForm | None = None,
    note_form: ActionNoteForm | None = None,
) -> HttpResponse:
    can_manage = actor.has_perm(services.MANAGE_PROGRAMME)
    return render(
        request,
        "programme/action_detail.html",
        {
            "action": action,
            "notes": action.notes.all(),
            "overdue": action.is_overdue(clock.today()),
            "can_manage": can_manage,
            "status_form": status_form or (ActionStatusForm() if can_manage else None),
            "note_form": note_form or (ActionNoteForm() if can_manage else None),
        },
    )


@require_safe
@login_required
def action_detail(request: HttpRequest, pk: int) -> HttpResponse:
    actor = actor_of(request, selectors.VIEW_PROGRAMME)
    return _action_page(request, actor, selectors.action_get(actor=actor, pk=pk))


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def action_create(request: HttpRequest, task_pk: int) -> HttpResponse:
    actor = actor_of(request, services.MANAGE_PROGRAMME)
    task = selectors.development_task_get(actor=actor, pk=task_pk)
    form = ActionForm(request.POST or None, task=task)
    if request.method == "POST" and form.is_valid():
        try:
            action = services.action_create(actor=actor, task=task, **form.cleaned_data)
        except ValidationError as exc:
            _service_errors(form, exc)
        else:
            messages.success(request, _("Action added."))
            return redirect("programme:action_detail", pk=action.pk)
    return render(request, "programme/action_form.html", {"form": form, "task": task})


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def action_edit(request: HttpRequest, pk: int) -> HttpResponse:
    actor = actor_of(request, services.MANAGE_PROGRAMME)
    action = selectors.action_get(actor=actor, pk=pk)
    initial = {name: getattr(action, name) for name in services.ACTION_FIELDS}
    form = ActionForm(request.POST or None, task=action.task, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.action_update(actor=actor, action=action, **form.cleaned_data)
        except ValidationError as exc:
            _service_errors(form, exc)
        else:
            messages.success(request, _("Action saved."))
            return redirect("programme:action_detail", pk=action.pk)
    return render(
        request,
        "programme/action_form.html",
        {"form": form, "task": action.task, "action": action},
    )


@require_POST
@login_required
def action_status(request: HttpRequest, pk: int) -> HttpResponse:
    actor = actor_of(request, services.MANAGE_PROGRAMME)
    action = selectors.action_get(actor=actor, pk=pk)
    form = ActionStatusForm(request.POST)
    if form.is_valid():
        try:
            services.action_change_status(
                actor=actor,
                action=action,
                status=form.cleaned_data["status"],
                note=form.cleaned_data["note"],
            )
        except ValidationError as exc:
            _service_errors(form, exc)
        else:
            messages.success(request, _("Status changed."))
            return redirect("programme:action_detail", pk=action.pk)
    return _action_page(request, actor, action, status_form=form)


@require_POST
@login_required
def action_note(request: HttpRequest, pk: int) -> HttpResponse:
    actor = actor_of(request, services.MANAGE_PROGRAMME)
    action = selectors.action_get(actor=actor, pk=pk)
    form = ActionNoteForm(request.POST)
    if form.is_valid():
        try:
            services.action_note_add(actor=actor, action=action, text=form.cleaned_data["text"])
        except ValidationError as exc:
            _service_errors(form, exc)
        else:
            messages.success(request, _("Note added."))
            return redirect("programme:action_detail", pk=action.pk)
    return _action_page(request, actor, action, note_form=form)
