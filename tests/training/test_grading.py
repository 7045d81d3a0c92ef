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


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    slug=st.sampled_from(SLUGS),
    run=st.sampled_from(["reference", "careless"]),
    noise=st.lists(NOISE, max_size=12),
    places=st.lists(st.floats(min_value=0, max_value=1), max_size=12),
    shuffle=st.randoms(use_true_random=False),
)
def test_unrelated_events_anywhere_leave_the_score_as_it_was(
    rehearsals, slug, run, noise, places, shuffle
):
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
    again = grade(scenario, mixed, played.state, took=took)
    assert (again.score, again.passed, again.missed) == (
        played.grade.score,
        played.grade.passed,
        played.grade.missed,
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
