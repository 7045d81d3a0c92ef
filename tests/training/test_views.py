"""Playing through the pages: pick, play with the checklist beside the pages, hint, finish,
see the grade and the reference steps, restart."""

import re

import pytest
from django.urls import reverse

from shops.models import Shop
from training.models import Attempt

pytestmark = pytest.mark.django_db


@pytest.fixture
def client_in(client, trainee):
    client.force_login(trainee)
    return client


def _start(client, slug="unlink-safely") -> Attempt:
    response = client.post(reverse("scenario_start", args=[slug]))
    attempt = Attempt.objects.order_by("-id").first()
    assert response.status_code == 302 and response.url == reverse("attempt", args=[attempt.pk])
    return attempt


def test_the_list_shows_trainee_scenarios_only_to_trainees(client_in):
    page = client_in.get(reverse("training")).content.decode()
    assert "Unlink a shop safely" in page and "Close the account the right way" in page
    assert "Support: a seller asks" not in page


def test_a_started_attempt_gets_a_fresh_sandbox_and_its_checklist_on_every_page(client_in, trainee):
    attempt = _start(client_in)
    assert attempt.sandbox.owner == trainee and attempt.sandbox_started_at is not None
    brief = client_in.get(reverse("attempt", args=[attempt.pk])).content.decode()
    assert (
        "Keep a copy of the account" in brief
        and reverse("dashboard", args=[attempt.sandbox_id]) in brief
    )
    for name in ("dashboard", "orders", "exports", "linked_accounts", "timeline"):
        page = client_in.get(reverse(name, args=[attempt.sandbox_id])).content.decode()
        assert 'data-testid="objectives"' in page, name
        assert 'data-testid="objective-popup-unlinked" data-met="no"' in page


def test_the_checklist_ticks_after_the_action(client_in):
    attempt = _start(client_in)
    popup = Shop.objects.get(sandbox=attempt.sandbox, name="Juniper Pop-up")
    url = reverse("unlink_shop", args=[attempt.sandbox_id, popup.pk])
    response = client_in.post(url, {"confirmed": "1"}, follow=True)
    page = response.content.decode()
    assert 'data-testid="objective-popup-unlinked" data-met="yes"' in page
    assert 'data-testid="objective-export-before-unlink" data-met="no"' in page


def test_hints_cost_points_and_finish_shows_lessons_and_reference_steps(client_in):
    attempt = _start(client_in)
    client_in.post(reverse("attempt_hint", args=[attempt.pk]))
    page = client_in.get(reverse("attempt", args=[attempt.pk])).content.decode()
    assert "The export lives under Data exports" in page and "cost 10 points" in page
    response = client_in.post(reverse("attempt_finish", args=[attempt.pk]))
    assert response.url == reverse("attempt_result", args=[attempt.pk])
    attempt.refresh_from_db()
    assert (attempt.score, attempt.passed, attempt.hints_used) == (0, False, 1)
    assert attempt.result["popup-unlinked"]["met"] is False
    assert set(attempt.result) == {"export-before-unlink", "popup-unlinked", "main-shop-kept"}
    result = client_in.get(response.url).content.decode()
    assert "Not passed" in result
    assert "What a careful seller does: Download an export before unlinking" in result
    assert 'data-testid="reference-steps"' in result and "ask for an export" in result
    # Finished: finishing again changes nothing, and hints are no longer taken.
    client_in.post(reverse("attempt_finish", args=[attempt.pk]))
    client_in.post(reverse("attempt_hint", args=[attempt.pk]))
    attempt.refresh_from_db()
    assert attempt.hints_used == 1 and attempt.score == 0


def test_a_finished_sandbox_no_longer_shows_the_checklist(client_in):
    attempt = _start(client_in)
    client_in.post(reverse("attempt_finish", args=[attempt.pk]))
    page = client_in.get(reverse("dashboard", args=[attempt.sandbox_id])).content.decode()
    assert 'data-testid="objectives"' not in page
    assert client_in.get(reverse("attempt", args=[attempt.pk])).url == reverse(
        "attempt_result", args=[attempt.pk]
    )


def test_restart_starts_a_new_attempt_and_keeps_the_old_one(client_in, trainee):
    first = _start(client_in)
    response = client_in.post(reverse("attempt_restart", args=[first.pk]))
    second = Attempt.objects.order_by("-id").first()
    assert response.url == reverse("attempt", args=[second.pk])
    assert second.pk != first.pk and second.sandbox_id != first.sandbox_id
    assert list(trainee.attempts.order_by("id")) == [first, second]
    assert first.sandbox.name.endswith("attempt 1") and second.sandbox.name.endswith("attempt 2")


def test_another_trainees_attempt_is_not_found(client_in, other_trainee, client):
    attempt = _start(client_in)
    client.force_login(other_trainee)
    for name in ("attempt", "attempt_result"):
        assert client.get(reverse(name, args=[attempt.pk])).status_code == 404
    assert client.post(reverse("attempt_finish", args=[attempt.pk])).status_code == 404
    assert client.post(reverse("scenario_start", args=["no-such-thing"])).status_code == 404


def test_support_scenarios_are_for_staff(client_in, client, staff_user):
    response = client_in.post(reverse("scenario_start", args=["support-stop-deletion"]))
    assert response.url == reverse("training") and not Attempt.objects.exists()
    client.force_login(staff_user)
    assert "Support: a seller asks" in client.get(reverse("training")).content.decode()
    attempt = _start(client, "support-stop-deletion")
    page = client.get(reverse("attempt", args=[attempt.pk])).content.decode()
    assert reverse("support:case", args=[attempt.sandbox.account.pk]) in page


def test_the_training_page_marks_the_scenarios_my_cohort_assigned(client, trainee, monkeypatch):
    """The home page listed assignments; the Training page did not say which scenarios they are."""
    from datetime import date

    from tests.training.conftest import make_trainer
    from training.cohorts.models import JoinedBy, Membership
    from training.cohorts.services import assign_scenario, create_cohort

    monkeypatch.undo()  # the shipped scenarios
    coach = make_trainer("coach")
    cohort = create_cohort(actor=coach, name="Spring sellers")
    Membership.objects.create(cohort=cohort, trainee=trainee, joined_by=JoinedBy.TRAINER)
    assign_scenario(
        actor=coach, cohort=cohort, scenario_slug="pause-sales", due_on=date(2031, 3, 2)
    )
    client.force_login(trainee)
    response = client.get(reverse("training"))
    page = response.content.decode()
    marks = re.findall(r'data-testid="assigned-(\S+)"', page)
    assert marks == ["pause-sales"]
    assert "Assigned by Spring sellers · due 2 Mar 2031" in page
    slugs = [s.slug for s, _, _ in response.context["rows"]]
    assert slugs[0] == "pause-sales"  # what is assigned comes first


def test_an_attempt_is_made_for_the_cohort_that_assigns_it_first_due(client_in, trainee, trainer):
    """Started from the scenarios page: it belongs to the cohort whose assignment of it is due
    first; a scenario no cohort of theirs assigns is free play, no trainer's."""
    from datetime import date

    from training.cohorts.models import Assignment, JoinedBy, Membership
    from training.cohorts.services import create_cohort

    later, sooner = (create_cohort(actor=trainer, name=n) for n in ("Later", "Sooner"))
    for group, due in ((later, date(2031, 1, 1)), (sooner, date(2030, 1, 1))):
        Membership.objects.create(cohort=group, trainee=trainee, joined_by=JoinedBy.TRAINER)
        Assignment.objects.create(cohort=group, scenario_slug="unlink-safely", due_on=due)
    assert _start(client_in).cohort == sooner
    assert _start(client_in, "close-account").cohort is None
