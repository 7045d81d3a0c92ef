"""Grading is a pure function of the facts: events no objective reads cannot move the score."""

from dataclasses import replace
from datetime import timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lifecycle.transitions import Action
from training import scenarios
from training.facts import Fact
from training.grading import grade

pytestmark = pytest.mark.django_db

SLUGS = sorted(scenarios.load_all())


def _matchers(scenario):
    found = [m for o in scenario.objectives for m in o.predicate.matchers()]
    found += [
        m for o in scenario.objectives if o.counts_when for m in o.counts_when.predicate.matchers()
    ]
    return found + [f.event for f in scenario.forbidden]


def _unrelated(scenario, candidates: list[Fact]) -> list[Fact]:
    matchers = _matchers(scenario)
    return [e for e in candidates if not any(m.matches(e) for m in matchers)]


NOISE = st.builds(
    Fact,
    id=st.just(0),
    action=st.sampled_from(list(Action.values)),
    at=st.just(None),
    outcome=st.sampled_from(["done", "refused"]),
    code=st.sampled_from(["", "invalid_state", "unlink_too_soon", "export_too_soon"]),
    actor_kind=st.sampled_from(["trainee", "staff", "job"]),
    subject_label=st.sampled_from(["Juniper Goods", "Juniper Pop-up", "Seller account #1", ""]),
    after=st.sampled_from(["", "sent", "business", "personal", "sold_out"]),
)


RUNS = [(slug, name) for slug in SLUGS for name in [*scenarios.get(slug).runs(), "untouched"]]


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    slug_run=st.sampled_from(RUNS),
    final=st.booleans(),
    hints=st.integers(min_value=0, max_value=2),
    noise=st.lists(NOISE, max_size=12),
    places=st.lists(st.floats(min_value=0, max_value=1), max_size=12),
    shuffle=st.randoms(use_true_random=False),
)
def test_unrelated_events_anywhere_leave_the_score_as_it_was(
    rehearsals, slug_run, final, hints, noise, places, shuffle
):
    """Over every run (alternatives and untouched worlds too), graded finished or under way, with
    hints: events no objective, `counts_when` or forbidden move reads change nothing, and the
    required objectives and failing moves decide the pass as they did."""
    slug, run = slug_run
    scenario = scenarios.get(slug)
    played = rehearsals[slug][run]
    events = list(played.events)
    related = [e for e in events if e not in _unrelated(scenario, events)]
    unrelated = [e for e in events if e not in related] + _unrelated(scenario, noise)
    shuffle.shuffle(unrelated)
    # Put the unrelated events anywhere among the related ones, which keep their order.
    mixed = list(related)
    for n, event in enumerate(unrelated):
        spot = round((places[n] if n < len(places) else 0.5) * len(mixed))
        near = mixed[min(spot, len(mixed) - 1)].at if mixed else played.state.now
        mixed.insert(spot, replace(event, id=10_000 + n, at=near or played.state.now))
    took = played.grade.took
    before = grade(scenario, events, played.state, took=took, final=final, hints_used=hints)
    again = grade(scenario, mixed, played.state, took=took, final=final, hints_used=hints)
    assert (again.score, again.passed, again.missed, again.failed_because) == (
        before.score,
        before.passed,
        before.missed,
        before.failed_because,
    )
    assert [line.state for line in again.lines] == [line.state for line in before.lines]
    # The panel's score under way is the score finishing would give for the same record.
    finished = grade(scenario, mixed, played.state, took=took, final=True, hints_used=hints)
    assert again.score == finished.score


def test_a_required_objective_missed_fails_at_any_score(rehearsals):
    """close-account's export-before-request is required: without it even 80 of 100 fails."""
    scenario = scenarios.get("close-account")
    played = rehearsals["close-account"]["reference"]
    no_download = [e for e in played.events if e.action != "download_export"]
    graded = grade(scenario, no_download, played.state, took=played.grade.took)
    assert graded.missed == ["export-before-request"]
    assert graded.score == 80 >= scenario.pass_mark and not graded.passed
    assert graded.failed_because == (
        "The required objective “Download a data export before the request” was not met.",
    )


def test_the_same_facts_give_the_same_grade(rehearsals):
    for slug, runs in rehearsals.items():
        scenario = scenarios.get(slug)
        for played in runs.values():
            first = grade(scenario, played.events, played.state, took=played.grade.took)
            second = grade(scenario, list(played.events), played.state, took=played.grade.took)
            assert first == second == played.grade


def test_hints_cost_their_points_and_can_sink_a_pass(rehearsals):
    scenario = scenarios.get("unlink-safely")
    played = rehearsals["unlink-safely"]["reference"]
    one = grade(scenario, played.events, played.state, hints_used=1)
    both = grade(scenario, played.events, played.state, hints_used=2)
    assert (one.score, one.hint_cost, both.score) == (90, 10, 85)
    careless = rehearsals["unlink-safely"]["careless"]
    assert grade(scenario, careless.events, careless.state, hints_used=1).score == 40


def test_going_over_the_time_budget_fails_a_perfect_run(rehearsals):
    scenario = scenarios.get("unlink-safely")
    played = rehearsals["unlink-safely"]["reference"]
    late = grade(scenario, played.events, played.state, took=timedelta(days=4))
    assert late.score == 100 and not late.passed and late.over_budget
    assert "allowed 3" in late.notes[0]


def test_a_forbidden_move_costs_its_penalty_each_time(rehearsals):
    scenario = scenarios.get("business-campaign")
    played = rehearsals["business-campaign"]["reference"]
    refusal = Fact(
        id=1,
        action="create_campaign",
        at=played.state.now,
        outcome="refused",
        code="feature_not_in_type",
    )
    twice = grade(scenario, [refusal, *played.events, replace(refusal, id=2)], played.state)
    assert twice.penalty == 20 and twice.score == 80 and twice.broken == ["campaign-before-switch"]
