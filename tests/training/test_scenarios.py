"""Every shipped scenario builds its world, passes with its reference solution, and fails with
its careless run, missing exactly the objectives the file names, with their lessons."""

import pytest

from training import scenarios

pytestmark = pytest.mark.django_db

SLUGS = sorted(scenarios.load_all())


def test_at_least_twelve_scenarios_ship_for_both_audiences():
    loaded = scenarios.load_all()
    assert len(loaded) >= 12
    assert {s.audience for s in loaded.values()} == {"trainee", "support"}


@pytest.mark.parametrize("slug", SLUGS)
def test_the_reference_solution_passes(rehearsals, slug):
    scenario = scenarios.get(slug)
    played = rehearsals[slug]["reference"]
    assert played.player.refusals == [], played.player.refusals
    assert played.grade.passed, (played.grade.score, played.grade.missed, played.grade.broken)
    assert played.grade.missed == [] and played.grade.broken == []
    assert played.grade.score == 100 >= scenario.pass_mark


@pytest.mark.parametrize("slug", SLUGS)
def test_the_careless_run_fails_on_the_objectives_the_file_names(rehearsals, slug):
    scenario = scenarios.get(slug)
    grade = rehearsals[slug]["careless"].grade
    assert not grade.passed and grade.score < scenario.pass_mark
    assert sorted(grade.missed) == sorted(scenario.careless.misses)
    assert sorted(grade.broken) == sorted(scenario.careless.breaks)
    for objective_id in grade.missed:
        line = grade.line(objective_id)
        assert line.points == 0 and line.lesson == scenario.objective(objective_id).lesson
        assert line.note  # what was (not) done, said in a sentence


def test_an_unlink_in_the_cool_down_is_on_the_feedback_with_the_refusal(rehearsals):
    grade = rehearsals["second-unlink-path"]["careless"].grade
    note = grade.line("waited-for-cooldown").note
    assert "refused" in note and "only 24 hours after it was linked" in note


def test_deleting_without_an_export_says_the_deletion_came_first(rehearsals):
    grade = rehearsals["close-account"]["careless"].grade
    assert grade.line("export-before-request").note == "The timeline has no “Download data export”."
    assert "refused (orders_awaiting_shipment)" not in grade.line("orders-first").note
    assert "refused" in grade.line("orders-first").note


def test_the_unlink_limit_refusal_names_when_the_next_unlink_is_possible(rehearsals):
    played = rehearsals["unlink-limits"]["careless"]
    assert len(played.player.refusals) == 2
    assert all("3 times in the last 180 days" in r for r in played.player.refusals)


def test_the_support_scenario_is_graded_from_staff_actions(rehearsals):
    reference = rehearsals["support-stop-deletion"]["reference"]
    cancels = [e for e in reference.events if e.action == "cancel_deletion"]
    assert [e.actor_kind for e in cancels] == ["staff"]
    careless = rehearsals["support-stop-deletion"]["careless"]
    assert careless.state.account_status == "deleted"
