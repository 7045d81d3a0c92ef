"""The trainer's grid: it agrees with the attempts in the database, its CSV too, and its
queries do not grow with the cohort."""

import csv
import io
from datetime import timedelta
from types import SimpleNamespace

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.models import Sandbox, User
from training.cohorts.models import JoinedBy, Membership
from training.cohorts.progress import cells_for, duration_text, trainee_assignments
from training.cohorts.services import assign_scenario
from training.models import Attempt

from .conftest import OBJECTIVES


def finished(
    trainee, slug, score, *, passed, missed=(), real=10, sandbox_days=0, sandbox=None, cohort=None
):
    """A finished attempt, made for `cohort`'s assignment (None: free play)."""
    start = timezone.now() - timedelta(minutes=real)
    attempt = Attempt.objects.create(
        trainee=trainee,
        scenario_slug=slug,
        sandbox=sandbox,
        cohort=cohort,
        finished_at=start + timedelta(minutes=real),
        score=score,
        passed=passed,
        sandbox_started_at=start,
        sandbox_finished_at=start + timedelta(days=sandbox_days, minutes=real),
        result={
            o.id: {"met": o.id not in missed, "points": 0, "lesson": o.lesson} for o in OBJECTIVES
        },
    )
    Attempt.objects.filter(pk=attempt.pk).update(started_at=start)  # auto_now_add ignores it
    attempt.refresh_from_db()
    return attempt


def join(cohort, *people):
    Membership.objects.bulk_create(
        Membership(cohort=cohort, trainee=p, joined_by=JoinedBy.TRAINER) for p in people
    )


@pytest.fixture
def class_of_three(trainer, cohort, trainee, other_trainee):
    third = User.objects.create_user("third", "third@example.com", "x")
    join(cohort, trainee, other_trainee, third)
    assign_scenario(actor=trainer, cohort=cohort, scenario_slug="unlink-a-shop")
    assign_scenario(actor=trainer, cohort=cohort, scenario_slug="close-the-account")
    finished(trainee, "unlink-a-shop", 40, passed=False, missed=["export-first"], cohort=cohort)
    best = finished(
        trainee, "unlink-a-shop", 90, passed=True, real=20, sandbox_days=3, cohort=cohort
    )
    Attempt.objects.create(trainee=trainee, scenario_slug="close-the-account", cohort=cohort)
    finished(
        other_trainee,
        "unlink-a-shop",
        50,
        passed=False,
        missed=["export-first", "unlink-popup"],
        cohort=cohort,
    )
    Attempt.objects.create(trainee=third, scenario_slug="not-assigned")  # not in the grid
    finished(third, "unlink-a-shop", 99, passed=True)  # free play: not made for the cohort
    return {"best": best, "third": third}


def grow_class(cohort, to: int, slug: str) -> None:
    """The cohort grown to `to` trainees, each newcomer with a failed attempt at `slug`, scored
    from 10 to 89."""
    have = cohort.memberships.count()
    people = User.objects.bulk_create(
        User(username=f"t{n:03d}", email=f"t{n}@example.com") for n in range(have, to)
    )
    join(cohort, *people)
    Attempt.objects.bulk_create(
        Attempt(
            trainee=p,
            scenario_slug=slug,
            cohort=cohort,
            finished_at=timezone.now(),
            score=10 + n % 80,
            passed=False,
            result={"export-first": {"met": False}},
        )
        for n, p in enumerate(people)
    )


def grid_page(client, cohort):
    return client.get(reverse("trainer_progress", args=[cohort.pk]))


def test_the_grid_agrees_with_the_attempts(client, trainer, cohort, trainee, class_of_three):
    client.force_login(trainer)
    response = grid_page(client, cohort)
    assert response.status_code == 200
    grid = response.context["grid"]
    assert [c.slug for c in grid.columns] == ["unlink-a-shop", "close-the-account"]
    rows = {t.username: cells for t, cells in grid.rows}
    assert list(rows) == ["other", "third", "trainee"]
    mine = rows["trainee"][0]
    assert (mine.state, mine.score, mine.attempts, mine.best_id) == (
        "passed",
        90,
        2,
        class_of_three["best"].pk,
    )
    assert mine.real_time == timedelta(minutes=20)
    assert mine.sandbox_time == timedelta(days=3, minutes=20)
    assert rows["trainee"][1].state == "in_progress" and rows["trainee"][1].score is None
    assert (rows["other"][0].state, rows["other"][0].score) == ("failed", 50)
    assert rows["third"][0].state == "not_started" and rows["third"][0].attempts == 0
    # The database says the same, counted another way.
    for username, cells in rows.items():
        for column, cell in zip(grid.columns, cells, strict=True):
            qs = Attempt.objects.filter(
                trainee__username=username, scenario_slug=column.slug, cohort=cohort
            )
            assert cell.attempts == qs.count()
            scores = [a.score for a in qs if a.finished_at]
            assert cell.score == (max(scores) if scores else None)

    unlink, close = grid.columns
    # The pass rate is over the trainees who finished (2), not the cohort (3).
    assert (unlink.passed, unlink.attempted, unlink.finished, unlink.trainees) == (1, 2, 2, 3)
    assert unlink.pass_rate == 50
    assert (close.passed, close.pass_rate) == (0, 0)
    misses = [(m.objective, m.missed, m.out_of) for m in grid.misses]
    assert misses == [("Export first", 2, 3), ("Unlink the pop-up", 1, 3)]
    page = response.content.decode()
    assert "Keep a copy of the data before unlinking." in page
    assert 'width="150"' in page  # half of the 300-unit bar: 1 of the 2 who finished
    assert "50 % (1 of 2 who finished)" in page
    items = [(i.objective, i.met, i.finished, i.real_of_attempts) for i in grid.items]
    assert items == [("Export first", 1, 3, "20 min"), ("Unlink the pop-up", 2, 3, "15 min")]
    assert 'data-testid="item-analysis"' in page
    assert reverse("trainer_attempt", args=[cohort.pk, class_of_three["best"].pk]) in page


def test_the_csv_agrees_with_the_grid(client, trainer, cohort, class_of_three):
    client.force_login(trainer)
    response = client.get(reverse("trainer_progress_csv", args=[cohort.pk]))
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0][:7] == [
        "username",
        "email",
        "unlink-a-shop state",
        "unlink-a-shop best score",
        "unlink-a-shop attempts",
        "unlink-a-shop real time (s)",
        "unlink-a-shop sandbox time (s)",
    ]
    by_name = {r[0]: r for r in rows[1:]}
    assert by_name["trainee"][2:7] == ["passed", "90", "2", "1200", str(3 * 86400 + 1200)]
    assert by_name["trainee"][7:10] == ["in_progress", "", "1"]
    assert by_name["other"][2:5] == ["failed", "50", "1"]
    assert by_name["third"][2:5] == ["not_started", "", "0"]
    grid = grid_page(client, cohort).context["grid"]
    for trainee, cells in grid.rows:
        for i, cell in enumerate(cells):
            assert by_name[trainee.username][2 + 5 * i] == cell.state


def test_the_grid_queries_do_not_grow_with_the_cohort(client, trainer, cohort):
    client.force_login(trainer)
    assign_scenario(actor=trainer, cohort=cohort, scenario_slug="unlink-a-shop")

    def grow(to: int) -> int:
        grow_class(cohort, to, "unlink-a-shop")
        counts = []
        for name in ("trainer_progress", "trainer_progress_csv"):
            with CaptureQueriesContext(connection) as ctx:
                assert client.get(reverse(name, args=[cohort.pk])).status_code == 200
            counts.append(len(ctx.captured_queries))
        return counts

    small, large = grow(5), grow(200)
    print("queries at 5 and 200 trainees (page, csv):", small, large)
    assert small == large
    assert cohort.memberships.count() == 200


def test_the_drill_down_shows_the_timeline_beside_the_reference_solution(
    client, trainer, cohort, trainee, scenario_catalogue
):
    from lifecycle.demo import DemoSizes, build_demo_sandbox

    scenario_catalogue["unlink-a-shop"].solution = [
        SimpleNamespace(describe=lambda: "Data exports → ask for an export", why="A copy first.")
    ]
    join(cohort, trainee)
    assign_scenario(actor=trainer, cohort=cohort, scenario_slug="unlink-a-shop")
    sandbox = build_demo_sandbox(owner=trainee, name="Attempt", sizes=DemoSizes(orders=2))
    attempt = finished(
        trainee,
        "unlink-a-shop",
        50,
        passed=False,
        missed=["export-first"],
        sandbox=sandbox,
        cohort=cohort,
    )
    client.force_login(trainer)
    page = client.get(reverse("trainer_attempt", args=[cohort.pk, attempt.pk]))
    assert page.status_code == 200
    text = page.content.decode()
    assert "Link shop" in text  # the sandbox's timeline
    assert "Data exports → ask for an export" in text and "A copy first." in text
    assert "Failed with 50 points" in text and "Keep a copy of the data" in text
    # Read-only: no form on the page posts anywhere but sign-out.
    assert text.count("<form") == text.count('action="/logout/"')

    Sandbox.objects.filter(pk=sandbox.pk).delete()
    assert (
        "was removed"
        in client.get(reverse("trainer_attempt", args=[cohort.pk, attempt.pk])).content.decode()
    )


def test_an_attempt_outside_the_cohort_is_not_there(
    client, trainer, cohort, trainee, other_trainee
):
    join(cohort, trainee)
    assign_scenario(actor=trainer, cohort=cohort, scenario_slug="unlink-a-shop")
    outsider = finished(other_trainee, "unlink-a-shop", 80, passed=True, cohort=cohort)
    unassigned = finished(trainee, "close-the-account", 80, passed=True, cohort=cohort)
    free_play = finished(trainee, "unlink-a-shop", 80, passed=True)
    client.force_login(trainer)
    for attempt in (outsider, unassigned, free_play):
        assert (
            client.get(reverse("trainer_attempt", args=[cohort.pk, attempt.pk])).status_code == 404
        )


def test_a_trainees_home_lists_their_assignments_with_their_state(
    client, trainer, cohort, trainee, other_trainee
):
    from datetime import date

    join(cohort, trainee, other_trainee)
    assign_scenario(
        actor=trainer, cohort=cohort, scenario_slug="unlink-a-shop", due_on=date(2030, 1, 2)
    )
    assign_scenario(actor=trainer, cohort=cohort, scenario_slug="close-the-account")
    finished(trainee, "unlink-a-shop", 85, passed=True)
    finished(other_trainee, "close-the-account", 30, passed=False)
    items = trainee_assignments(trainee)
    assert [(i["slug"], i["cell"].state, i["cell"].score) for i in items] == [
        ("unlink-a-shop", "passed", 85),
        ("close-the-account", "not_started", None),
    ]
    client.force_login(trainee)
    page = client.get(reverse("sandbox_list")).content.decode()
    assert "Assigned to you" in page and "Passed · 85" in page and "2 Jan 2030" in page
    # Another trainee's attempts and names are nowhere on it.
    assert "Failed" not in page and other_trainee.username not in page


def test_cells_order_attempts_and_keep_the_first_best():
    now = timezone.now()
    rows = [
        {
            "id": 2,
            "trainee_id": 1,
            "scenario_slug": "s",
            "started_at": now,
            "finished_at": now,
            "score": 70,
            "passed": True,
            "sandbox_started_at": None,
            "sandbox_finished_at": None,
        },
        {
            "id": 1,
            "trainee_id": 1,
            "scenario_slug": "s",
            "started_at": now - timedelta(1),
            "finished_at": now,
            "score": 70,
            "passed": True,
            "sandbox_started_at": None,
            "sandbox_finished_at": None,
        },
    ]
    cell = cells_for(rows)[(1, "s")]
    assert cell.best_id == 1 and cell.sandbox_time is None


@pytest.mark.parametrize(
    ("span", "text"),
    [
        (None, ""),
        (timedelta(seconds=45), "45 s"),
        (timedelta(minutes=7), "7 min"),
        (timedelta(hours=2, minutes=5), "2 h 05 min"),
        (timedelta(days=3, hours=2), "3 d 2 h"),
    ],
)
def test_durations_read_as_a_trainer_reads_them(span, text):
    assert duration_text(span) == text


def test_the_csv_keeps_a_name_a_spreadsheet_would_run_as_text(client, trainer, cohort):
    """OWASP's CSV injection rule: usernames and emails are the trainees' own input."""
    plus = User.objects.create_user("+1+1", "=1+1@example.org", "x")
    at = User.objects.create_user("@SUM", "-2@example.org", "x")
    join(cohort, plus, at)
    assign_scenario(actor=trainer, cohort=cohort, scenario_slug="unlink-a-shop")
    client.force_login(trainer)
    rows = list(
        csv.reader(
            io.StringIO(
                client.get(reverse("trainer_progress_csv", args=[cohort.pk])).content.decode()
            )
        )
    )
    assert [r[:2] for r in rows[1:]] == [
        ["'+1+1", "'=1+1@example.org"],
        ["'@SUM", "'-2@example.org"],
    ]
    assert rows[1][2:5] == ["not_started", "", "0"]  # numbers the product wrote stay numbers


def test_item_analysis_times_hints_and_the_steps_before_a_miss(client, trainer, cohort, trainee):
    from training.cohorts import catalogue
    from training.cohorts.progress import item_analysis

    start = timezone.now()
    steps = [
        {"id": 7, "at": (start + timedelta(days=2)).isoformat(), "text": "Unlink shop: Pop-up"},
        {"id": 9, "at": (start + timedelta(days=3)).isoformat(), "text": "Download data export"},
    ]
    common = {
        "trainee_id": trainee.pk,
        "scenario_slug": "unlink-a-shop",
        "started_at": start,
        "finished_at": start + timedelta(minutes=30),
        "sandbox_started_at": start,
        "feedback": {"steps": steps},
    }
    met = {
        **common,
        "id": 1,
        "hints_used": 1,
        "result": {
            "export-first": {"met": True, "evidence": [9]},
            "unlink-popup": {"met": True, "evidence": [7]},
        },
    }
    missed = {
        **common,
        "id": 2,
        "hints_used": 0,
        "result": {
            "export-first": {"met": False, "evidence": [7]},
            "unlink-popup": {"met": True, "evidence": [7]},
        },
    }
    scenarios = {"unlink-a-shop": catalogue.scenarios()["unlink-a-shop"]}
    export, popup = item_analysis([met, missed], scenarios)
    assert (export.met, export.finished, export.met_with_hint) == (1, 2, 1)
    assert export.sandbox_to_it == "3 d 0 h"
    assert sorted(export.before_miss) == ["Download data export", "Unlink shop: Pop-up"]
    assert (popup.met, popup.sandbox_to_it, popup.before_miss) == (2, "2 d 0 h", [])


def test_the_csv_is_not_stored_by_any_cache(client, trainer, cohort):
    """Issue 20, item 12: downloads of signed-in people carried no Cache-Control."""
    client.force_login(trainer)
    response = client.get(reverse("trainer_progress_csv", args=[cohort.pk]))
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]
