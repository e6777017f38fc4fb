from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from ketenradar.core.http import actor_of
from ketenradar.programme import selectors, services
from ketenradar.programme.forms import BudgetImportForm

MAX_ERRORS_SHOWN = 50


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


@login_required
def budget_detail(request: HttpRequest, pk: int) -> HttpResponse:
    actor = actor_of(request, selectors.VIEW_BUDGET)
    overview = selectors.budget_overview(actor=actor, pk=pk)
    return render(
        request,
        "programme/budget_detail.html",
        {"overview": overview, "can_manage": actor.has_perm(services.MANAGE_BUDGET)},
    )


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
