"""Every shipped scenario builds its world, scores 100 with its reference solution and with each
alternative, fails with its careless run, missing exactly the objectives the file names (with
their lessons), and gives no point to a world left untouched."""

import pytest

from tests.rulebook import days_of, hours_of, times_of
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


ALTERNATIVES = [
    (slug, f"alternative {n}")
    for slug in SLUGS
    for n in range(1, len(scenarios.get(slug).alternatives) + 1)
]


@pytest.mark.parametrize(("slug", "run"), ALTERNATIVES)
def test_each_alternative_scores_100(rehearsals, slug, run):
    played = rehearsals[slug][run]
    assert played.player.refusals == [], played.player.refusals
    grade = played.grade
    assert (grade.score, grade.passed, grade.missed, grade.broken) == (100, True, [], [])


def test_scenarios_with_more_than_one_right_way_declare_them():
    loaded = scenarios.load_all()
    for slug in [
        "pause-sales",  # deactivation, listings sold out, stock 0, removed
        "second-unlink-path",  # the two unlink pages
        "unlink-safely",
        "close-account",  # ship or cancel the waiting orders
        "change-of-heart",
        "link-expired",
        "relink-kept-data",
    ]:
        assert loaded[slug].alternatives, slug
    titles = {a.title for a in loaded["pause-sales"].alternatives}
    assert "Every listing's stock set to 0" in titles


@pytest.mark.parametrize("slug", SLUGS)
def test_the_untouched_world_gives_no_point(rehearsals, slug):
    """No free points: an objective that could not have been failed yet gives nothing."""
    grade = rehearsals[slug]["untouched"].grade
    assert grade.earned == 0 and grade.score == 0 and not grade.passed
    assert all(not line.met for line in grade.lines if line.kind == "objective")


def test_close_account_and_second_unlink_path_no_longer_start_with_points(rehearsals):
    # They started at 20 and 40 of 100 for "no request refused" objectives.
    for slug in ("close-account", "second-unlink-path"):
        assert rehearsals[slug]["untouched"].grade.score == 0


def test_pausing_after_asking_for_the_forbidden_deletion_fails_at_70(rehearsals):
    grade = rehearsals["pause-sales"]["careless"].grade
    assert grade.score == 70 and not grade.passed
    assert grade.broken == ["deletion-asked"]
    assert grade.failed_because == (
        "“Asking for the account's deletion” fails the attempt whatever the score.",
    )


def test_unlinking_without_pausing_the_listing_fails_at_70(rehearsals):
    grade = rehearsals["unlink-limits"]["careless"].grade
    assert grade.score == 70 >= scenarios.get("unlink-limits").pass_mark
    assert not grade.passed and grade.missed == ["sales-paused-first"]
    assert "required" in grade.failed_because[0]


@pytest.mark.parametrize("slug", SLUGS)
def test_every_scenario_marks_its_core_lesson_required(slug):
    assert any(o.required for o in scenarios.get(slug).objectives)


@pytest.mark.parametrize("slug", SLUGS)
def test_the_careless_run_fails_on_the_objectives_the_file_names(rehearsals, slug):
    scenario = scenarios.get(slug)
    grade = rehearsals[slug]["careless"].grade
    assert not grade.passed
    # At or above the pass mark, only a required objective or a failing move can fail it.
    assert grade.score < scenario.pass_mark or grade.failed_because
    assert sorted(grade.missed) == sorted(scenario.careless.misses)
    assert sorted(grade.broken) == sorted(scenario.careless.breaks)
    for objective_id in grade.missed:
        line = grade.line(objective_id)
        assert line.points == 0 and line.lesson == scenario.objective(objective_id).lesson
        assert line.note  # what was (not) done, said in a sentence


def test_an_unlink_in_the_cool_down_is_on_the_feedback_with_the_refusal(rehearsals):
    grade = rehearsals["second-unlink-path"]["careless"].grade
    note = grade.line("waited-for-cooldown").note
    assert "refused" in note and f"only {hours_of('UNLINK_COOLDOWN')} after it was linked" in note


def test_deleting_without_an_export_says_the_deletion_came_first(rehearsals):
    grade = rehearsals["close-account"]["careless"].grade
    assert grade.line("export-before-request").note == (
        "Request deletion: Juniper Goods came before any “Download data export”."
    )
    assert "refused (orders_awaiting_shipment)" not in grade.line("orders-first").note
    assert "refused" in grade.line("orders-first").note


def test_the_unlink_limit_refusal_names_when_the_next_unlink_is_possible(rehearsals):
    played = rehearsals["unlink-limits"]["careless"]
    assert len(played.player.refusals) == 2  # the third unlink, 20 days later, is allowed
    limit = f"{times_of('UNLINK_LIMIT')} in the last {days_of('UNLINK_WINDOW')}"
    assert all(limit in r for r in played.player.refusals)


def test_the_support_scenario_is_graded_from_staff_actions(rehearsals):
    reference = rehearsals["support-stop-deletion"]["reference"]
    cancels = [e for e in reference.events if e.action == "cancel_deletion"]
    assert [e.actor_kind for e in cancels] == ["staff"]
    careless = rehearsals["support-stop-deletion"]["careless"]
    assert careless.state.account_status == "deleted"


def test_stock_0_is_credited_like_mark_sold_out(rehearsals):
    """unlink-limits: setting the tote's stock to 0 sold it out through the listing machine's
    own transition (on the record, caused by the edit): the objective holds (it scored 70)."""
    played = rehearsals["unlink-limits"]["alternative 1"]
    assert played.grade.line("sales-paused-first").met and played.grade.score == 100
    sold_out = [e for e in played.events if e.action == "change_listing"]
    assert [(e.after, e.params.get("cause", {}).get("action")) for e in sold_out] == [
        ("sold_out", "edit_product")
    ]


def test_opening_the_expired_link_is_a_forbidden_move_made():
    """link-expired: opening the lapsed request's link (nothing pressed) scored 100 with the
    move "avoided"; the refusal is on the record now, and costs its penalty."""
    from training.play import rehearse
    from training.scenarios.steps import Step

    scenario = scenarios.get("link-expired")
    steps = [
        {"do": "request_deletion"},
        {"do": "advance_clock", "hours": 25},
        {"do": "open_link", "link": "first"},
        {"do": "request_deletion"},
        {"do": "confirm_deletion"},
    ]
    played = rehearse(scenario, [Step.model_validate(s) for s in steps])
    assert played.grade.broken == ["expired-link-used"]
    assert played.grade.score == 90 and played.grade.missed == []
    assert "no longer works" in played.grade.line("expired-link-used").note
