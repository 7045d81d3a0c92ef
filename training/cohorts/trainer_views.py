"""The trainer's pages: their cohorts, one cohort's people, links, assignments and import.

Every cohort URL loads the cohort through `cohort_page`, so a cohort the trainer does not run
answers 404. Mutating views are POST-only and call one service.
"""

from datetime import timedelta

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from editions import registry as editions
from lifecycle.web import SignedInRequest

from . import catalogue, selectors
from .forms import AssignmentForm, CohortForm, ImportForm, InvitationForm
from .importing import BadImport, import_trainees
from .services import (
    assign_scenario,
    create_cohort,
    create_invitation,
    revoke_invitation,
    unassign_scenario,
)
from .web import CohortRequest, act, cohort_page, invalid, trainer_page


def _list_page(request: SignedInRequest, form: CohortForm) -> HttpResponse:
    cohorts = selectors.cohorts_run_by(request.user)
    return render(request, "training/trainer/cohort_list.html", {"cohorts": cohorts, "form": form})


@trainer_page
def cohort_list(request: SignedInRequest) -> HttpResponse:
    return _list_page(request, CohortForm())


@trainer_page
@require_POST
def cohort_create(request: SignedInRequest) -> HttpResponse:
    form = CohortForm(request.POST)
    if not form.is_valid():
        return invalid(request, lambda: _list_page(request, form))
    return act(
        request,
        create_cohort,
        name=form.cleaned_data["name"],
        edition=form.cleaned_data["edition"],
        done=lambda cohort: f"{cohort.name} is ready: create an invitation link for it below.",
        success_url=lambda cohort: reverse("trainer_cohort", args=[cohort.pk]),
        refused=lambda: _list_page(request, form),
    )


def _cohort_page(request: CohortRequest, **forms) -> HttpResponse:
    cohort = request.cohort
    context = {
        "cohort": cohort,
        "edition": editions.get(cohort.edition),  # the rules its trainees play under
        "invite_form": forms.get("invite_form") or InvitationForm(),
        "assign_form": forms.get("assign_form") or AssignmentForm(),
        "import_form": forms.get("import_form") or ImportForm(),
        "import_errors": forms.get("import_errors") or [],
        **selectors.cohort_overview(cohort, catalogue.scenarios()),
    }
    return render(request, "training/trainer/cohort.html", context)


def _back(request: CohortRequest) -> str:
    return reverse("trainer_cohort", args=[request.cohort.pk])


@cohort_page
def cohort_detail(request: CohortRequest) -> HttpResponse:
    return _cohort_page(request)


@cohort_page
@require_POST
def invitation_create(request: CohortRequest) -> HttpResponse:
    form = InvitationForm(request.POST)
    if not form.is_valid():
        return invalid(request, lambda: _cohort_page(request, invite_form=form))
    return act(
        request,
        create_invitation,
        cohort=request.cohort,
        seats=form.cleaned_data["seats"],
        valid_for=timedelta(days=form.cleaned_data["valid_days"]),
        done="A new invitation link is ready: copy it from the list of links.",
        success_url=_back(request),
        refused=lambda: _cohort_page(request, invite_form=form),
    )


@cohort_page
@require_POST
def invitation_revoke(request: CohortRequest, invitation_id: int) -> HttpResponse:
    invitation = get_object_or_404(request.cohort.invitations, pk=invitation_id)
    return act(
        request,
        revoke_invitation,
        invitation=invitation,
        done="The link is revoked: nobody can sign up through it any more.",
        success_url=_back(request),
        refused=lambda: _cohort_page(request),
    )


@cohort_page
@require_POST
def assignment_create(request: CohortRequest) -> HttpResponse:
    form = AssignmentForm(request.POST)
    if not form.is_valid():
        return invalid(request, lambda: _cohort_page(request, assign_form=form))
    return act(
        request,
        assign_scenario,
        cohort=request.cohort,
        scenario_slug=form.cleaned_data["scenario"],
        due_on=form.cleaned_data["due_on"],
        done=lambda a: f"Assigned: {catalogue.title_of(a.scenario_slug)}.",
        success_url=_back(request),
        refused=lambda: _cohort_page(request, assign_form=form),
    )


@cohort_page
@require_POST
def assignment_remove(request: CohortRequest, assignment_id: int) -> HttpResponse:
    assignment = get_object_or_404(request.cohort.assignments, pk=assignment_id)
    return act(
        request,
        unassign_scenario,
        assignment=assignment,
        done=f"No longer assigned: {catalogue.title_of(assignment.scenario_slug)}.",
        success_url=_back(request),
        refused=lambda: _cohort_page(request),
    )


@cohort_page
@require_POST
def trainee_import(request: CohortRequest) -> HttpResponse:
    form = ImportForm(request.POST, request.FILES)
    if not form.is_valid():
        return invalid(request, lambda: _cohort_page(request, import_form=form))
    try:
        report = import_trainees(
            actor=request.user, cohort=request.cohort, text=form.cleaned_data["file"]
        )
    except BadImport as err:
        messages.error(request, "Nothing was imported: fix the lines below and upload again.")
        response = _cohort_page(request, import_form=form, import_errors=err.errors)
        response.status_code = 400
        return response
    messages.success(request, selectors.import_summary(report))
    return redirect(_back(request))
