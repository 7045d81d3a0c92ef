"""The trainer's grid sorted and filtered (issue 21, item 7), as a trainer uses it: the filter
form's query string, with and without htmx, its CSV, its queries, and a second trainer who
must not see the first one's cohort through it."""

import csv
import io
from datetime import timedelta
from urllib.parse import parse_qs

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from training.cohorts.services import assign_scenario, create_cohort
from training.models import Attempt

from .test_progress import finished, grow_class, join

pytestmark = pytest.mark.django_db


@pytest.fixture
def due_class(trainer, cohort, trainee, other_trainee):
    """trainee: unlink passed (90), close in progress; other: unlink failed (50); third: nothing.
    The unlink was due yesterday, the account's closing is due in three days."""
    today = timezone.localdate()
    third = User.objects.create_user("third", "third@example.com", "x")
    join(cohort, trainee, other_trainee, third)
    assign_scenario(
        actor=trainer,
        cohort=cohort,
        scenario_slug="unlink-a-shop",
        due_on=today - timedelta(days=1),
    )
    assign_scenario(
        actor=trainer,
        cohort=cohort,
        scenario_slug="close-the-account",
        due_on=today + timedelta(days=3),
    )
    finished(trainee, "unlink-a-shop", 40, passed=False, cohort=cohort)
    finished(trainee, "unlink-a-shop", 90, passed=True, cohort=cohort)
    Attempt.objects.create(trainee=trainee, scenario_slug="close-the-account", cohort=cohort)
    finished(other_trainee, "unlink-a-shop", 50, passed=False, cohort=cohort)
    return cohort


def ask(client, cohort, query: str = "", **headers):
    address = reverse("trainer_progress", args=[cohort.pk])
    return client.get(f"{address}?{query}" if query else address, **headers)


def names(response) -> list[str]:
    return [trainee.username for trainee, _ in response.context["shown"].rows]


@pytest.mark.parametrize(
    "query, expected",
    [
        ("", ["other", "third", "trainee"]),
        ("state=failed", ["other"]),
        ("state=in_progress", ["trainee"]),
        ("scenario=unlink-a-shop&state=not_started", ["third"]),
        ("scenario=unlink-a-shop&state=not_passed", ["other", "third"]),
        ("state=passed", ["trainee"]),
        ("score_from=60", ["trainee"]),
        ("score_to=60", ["other"]),  # the trainee scored 40 first, but the best counts
        ("score_from=45&score_to=60", ["other"]),
        ("due=overdue", ["other", "third"]),  # the unlink: due yesterday, not passed
        ("due=soon&state=in_progress", ["trainee"]),
        ("due=undated", []),
        ("sort=score_high", ["trainee", "other", "third"]),  # no score: last either way
        ("sort=score_low", ["other", "trainee", "third"]),
        ("sort=due", ["other", "third", "trainee"]),  # trainee's next due is in three days
        ("sort=progress", ["third", "other", "trainee"]),
        ("state=failed&sort=score_high", ["other"]),
    ],
)
def test_a_trainer_filters_and_sorts_the_grid(client, trainer, due_class, query, expected):
    client.force_login(trainer)
    response = ask(client, due_class, query)
    assert response.status_code == 200
    assert names(response) == expected
    page = response.content.decode()
    if set(parse_qs(query)) & {"state", "score_from", "score_to", "due"}:
        assert f"{len(expected)} of 3 trainees" in page
    else:
        assert "3 trainees." in page
    if not expected:
        assert "No trainee matches these filters" in page


def test_a_scores_stay_the_best_attempts_and_the_scenario_narrows_the_columns(
    client, trainer, due_class
):
    client.force_login(trainer)
    response = ask(client, due_class, "scenario=close-the-account")
    shown = response.context["shown"]
    assert [c.slug for c in shown.columns] == ["close-the-account"]
    assert [(t.username, [c.state for c in cells]) for t, cells in shown.rows] == [
        ("other", ["not_started"]),
        ("third", ["not_started"]),
        ("trainee", ["in_progress"]),
    ]
    page = response.content.decode()
    assert "Close the account" in page
    grid_html = page[page.index('data-testid="progress-grid"') :]
    assert "Unlink a shop safely" not in grid_html.split("</table>")[0]
    # The pass rates below still cover the whole cohort.
    assert [c.slug for c in response.context["grid"].columns] == [
        "unlink-a-shop",
        "close-the-account",
    ]


def test_a_bad_filter_says_so_and_shows_the_whole_grid(client, trainer, due_class):
    client.force_login(trainer)
    response = ask(client, due_class, "score_from=80&score_to=20")
    assert names(response) == ["other", "third", "trainee"]
    assert "Expected a score of at least 80" in response.content.decode()
    response = ask(client, due_class, "scenario=not-assigned-here&state=failed")
    assert names(response) == ["other", "third", "trainee"]
    assert "not-assigned-here is not one of the available choices" in response.content.decode()


def test_the_form_works_without_javascript_and_htmx_gets_the_grid_alone(client, trainer, due_class):
    client.force_login(trainer)
    page = ask(client, due_class).content.decode()
    form = page[page.index('data-testid="grid-filter"') :].split("</form>")[0]
    assert (
        'method="get"' in page[page.rindex("<form", 0, page.index('data-testid="grid-filter"')) :]
    )
    assert 'type="submit"' in form and 'name="state"' in form and 'name="sort"' in form
    swapped = ask(client, due_class, "state=failed", HTTP_HX_REQUEST="true")
    text = swapped.content.decode()
    assert text.lstrip().startswith('<div id="progress-grid-region"')
    assert "<html" not in text and "1 of 3 trainees matches the filters." in text
    # The download follows the filters.
    address = reverse("trainer_progress_csv", args=[due_class.pk])
    assert f"{address}?state=failed" in text


def test_the_csv_holds_the_rows_the_page_shows(client, trainer, due_class):
    client.force_login(trainer)
    address = reverse("trainer_progress_csv", args=[due_class.pk])
    response = client.get(f"{address}?scenario=unlink-a-shop&state=not_passed&sort=score_low")
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0][2:] == [
        "unlink-a-shop state",
        "unlink-a-shop best score",
        "unlink-a-shop attempts",
        "unlink-a-shop real time (s)",
        "unlink-a-shop sandbox time (s)",
    ]
    assert [(r[0], r[2], r[3]) for r in rows[1:]] == [
        ("other", "failed", "50"),
        ("third", "not_started", ""),
    ]


def test_filters_cost_no_query_and_stay_flat(client, trainer, cohort):
    client.force_login(trainer)
    assign_scenario(actor=trainer, cohort=cohort, scenario_slug="unlink-a-shop")
    query = "scenario=unlink-a-shop&state=failed&score_from=10&due=undated&sort=score_high"

    def grow(to: int) -> list[int]:
        grow_class(cohort, to, "unlink-a-shop")
        counts = []
        for q in ("", query):
            with CaptureQueriesContext(connection) as ctx:
                response = ask(client, cohort, q)
            assert response.status_code == 200
            counts.append(len(ctx.captured_queries))
        return counts

    small, large = grow(5), grow(100)
    assert small[0] == small[1] == large[0] == large[1]


def test_a_second_trainer_sees_only_their_own_cohort_through_the_filters(
    client, trainer, other_trainer, due_class, trainee
):
    """B runs another cohort, which the trainee joined too, without the unlink assigned: B's
    filters cannot name A's scenario, A's grid is not there for B, and A's attempts do not
    show in B's grid."""
    theirs = create_cohort(actor=other_trainer, name="Autumn sellers")
    join(theirs, trainee)
    assign_scenario(actor=other_trainer, cohort=theirs, scenario_slug="close-the-account")
    client.force_login(other_trainer)
    assert ask(client, due_class, "state=failed").status_code == 404
    assert (
        client.get(
            reverse("trainer_progress_csv", args=[due_class.pk]) + "?state=failed"
        ).status_code
        == 404
    )
    response = ask(client, theirs, "scenario=unlink-a-shop&state=passed")
    assert "unlink-a-shop is not one of the available choices" in response.content.decode()
    assert [c.slug for c in response.context["shown"].columns] == ["close-the-account"]
    # The trainee's attempt at close-the-account was made for A's cohort: not B's to see.
    response = ask(client, theirs, "state=in_progress")
    assert names(response) == []
    response = ask(client, theirs, "state=not_started")
    assert names(response) == ["trainee"]
