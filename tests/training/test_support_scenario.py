"""The support scenario's "Change nothing else" covers every staff action (issue 23, item 8).

An agent who cancels the deletion and also presses any other staff action of the support desk
("Run what is due now", a clock move, a resend, a retry, an unlink, a reset...) misses the
objective; telling the seller about the cancellation, or an attempt that was refused (it changed
nothing), does not.
"""

from dataclasses import replace

import pytest
from django.contrib import admin
from django.db import transaction

from lifecycle.models import TimelineEvent
from lifecycle.services.support import run_due_work_now
from lifecycle.transitions import Action
from training import grading, observe, scenarios
from training.facts import Fact
from training.play import rehearse

pytestmark = pytest.mark.django_db

SLUG = "support-stop-deletion"
ASKED = {Action.CANCEL_DELETION, Action.SEND_EMAIL}  # the cancel, and telling the seller of it


def desk_actions() -> set[str]:
    """The timeline action of every staff action the support desk's admin offers."""
    found = set()
    for model_admin in admin.site._registry.values():
        for spec in getattr(model_admin, "staff_actions", {}).values():
            found.add(spec.records)
    return found


def test_every_desk_action_is_known():
    found = desk_actions()
    assert Action.RUN_DUE_WORK in found and Action.RESET_DEMO in found
    assert len(found) >= 9


class _Rollback(Exception):
    pass


@pytest.fixture(scope="module")
def reference(django_db_setup, django_db_blocker):
    """The reference solution's facts (plain values); what it wrote is rolled back."""
    scenario = scenarios.get(SLUG)
    with django_db_blocker.unblock():
        try:
            with transaction.atomic():
                played = rehearse(scenario, scenario.solution)
                raise _Rollback
        except _Rollback:
            pass
    return scenario, played


def graded_with(scenario, played, extra: Fact):
    return grading.grade(scenario, [*played.events, extra], played.state)


@pytest.mark.parametrize("action", sorted(desk_actions() - ASKED))
def test_any_other_staff_action_misses_change_nothing_else(reference, action):
    scenario, played = reference
    assert played.grade.score == 100
    other = Fact(id=10**9, action=action, at=played.state.now, actor_kind="staff")
    grade = graded_with(scenario, played, other)
    assert "nothing-else" in grade.missed and grade.score < 100


@pytest.mark.parametrize("action", sorted(desk_actions() - ASKED))
def test_a_refused_staff_attempt_changes_nothing_and_costs_nothing(reference, action):
    scenario, played = reference
    refused = Fact(
        id=10**9, action=action, at=played.state.now, actor_kind="staff", outcome="refused"
    )
    assert graded_with(scenario, played, refused).score == 100


def test_telling_the_seller_costs_nothing(reference):
    scenario, played = reference
    told = Fact(id=10**9, action=Action.SEND_EMAIL, at=played.state.now, actor_kind="staff")
    assert graded_with(scenario, played, told).score == 100


def test_run_what_is_due_pressed_after_the_cancel_is_graded_below_100():
    """The issue's case, played for real: the cancel, then "Run what is due now"."""
    scenario = scenarios.get(SLUG)
    played = rehearse(scenario, scenario.solution)
    agent = replace(played.player.staff, reason="Just checking")
    run_due_work_now(actor=agent, sandbox=played.built.sandbox)
    assert TimelineEvent.objects.filter(action=Action.RUN_DUE_WORK, actor_kind="staff").exists()
    events = observe.events_after(played.built.sandbox, played.built.baseline_event_id)
    grade = grading.grade(scenario, events, observe.final_state(played.built.sandbox))
    assert "nothing-else" in grade.missed and grade.score < 100
