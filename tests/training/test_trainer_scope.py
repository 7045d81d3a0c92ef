"""A trainer sees only the cohorts they run: every trainer URL, walked from the URL list.

A pattern with a parameter this file has no sample for fails the walk, so a new trainer URL is
covered as soon as it is added.
"""

from datetime import date, timedelta

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from accounts.models import User
from training.cohorts.models import JoinedBy, LoginInvitation, Membership
from training.cohorts.progress import cohort_assigning
from training.cohorts.services import assign_scenario, create_cohort, create_invitation
from training.cohorts.urls import trainer_patterns
from training.models import Attempt

COHORT_PATTERNS = [p for p in trainer_patterns if "cohort_id" in p.pattern.converters]
PARAMETERS = {"cohort_id", "invitation_id", "assignment_id", "attempt_id"}


@pytest.fixture
def theirs(other_trainer):
    """A cohort someone else runs, with a link, an assignment and a member."""
    cohort = create_cohort(actor=other_trainer, name="Not yours")
    invitation = create_invitation(
        actor=other_trainer, cohort=cohort, seats=3, valid_for=timedelta(days=1)
    )
    assignment = assign_scenario(
        actor=other_trainer, cohort=cohort, scenario_slug="unlink-a-shop", due_on=date(2030, 1, 1)
    )
    member = User.objects.create_user("member", "member@example.com", "x")
    Membership.objects.create(cohort=cohort, trainee=member, joined_by=JoinedBy.TRAINER)
    attempt = Attempt.objects.create(trainee=member, scenario_slug="unlink-a-shop")
    return {
        "cohort": cohort,
        "invitation": invitation,
        "assignment": assignment,
        "attempt": attempt,
    }


def samples(objects, extra=None) -> dict:
    values = {
        "cohort_id": objects["cohort"].pk,
        "invitation_id": objects["invitation"].pk,
        "assignment_id": objects["assignment"].pk,
        "attempt_id": objects["attempt"].pk,
        **(extra or {}),
    }
    return values


def address(pattern, values: dict) -> str:
    names = set(pattern.pattern.converters)
    unknown = names - PARAMETERS
    assert not unknown, f"{pattern.name}: no sample value for {sorted(unknown)}; add one here"
    return reverse(pattern.name, kwargs={name: values[name] for name in names})


def test_every_parameter_of_every_trainer_url_has_a_sample():
    for pattern in trainer_patterns:
        assert set(pattern.pattern.converters) <= PARAMETERS, pattern.name
    assert len(COHORT_PATTERNS) >= 6


@pytest.mark.parametrize("pattern", COHORT_PATTERNS, ids=lambda p: p.name)
@pytest.mark.parametrize("method", ["get", "post"])
def test_a_cohort_you_do_not_run_is_not_there(client, trainer, theirs, pattern, method):
    client.force_login(trainer)
    response = getattr(client, method)(address(pattern, samples(theirs)))
    assert response.status_code == 404, (pattern.name, method)
    theirs["cohort"].refresh_from_db()
    assert theirs["cohort"].invitations.get().revoked_at is None
    assert theirs["cohort"].assignments.count() == 1


@pytest.mark.parametrize(
    "pattern",
    [p for p in COHORT_PATTERNS if set(p.pattern.converters) - {"cohort_id"}],
    ids=lambda p: p.name,
)
def test_another_cohorts_rows_are_not_reachable_through_yours(
    client, trainer, cohort, theirs, pattern
):
    client.force_login(trainer)
    values = samples(theirs, {"cohort_id": cohort.pk})
    assert client.post(address(pattern, values)).status_code == 404, pattern.name


@pytest.mark.parametrize("pattern", trainer_patterns, ids=lambda p: p.name)
def test_a_trainee_gets_403_and_a_visitor_goes_to_sign_in(client, trainee, theirs, pattern):
    target = address(pattern, samples(theirs))
    anonymous = client.get(target)
    assert anonymous.status_code == 302 and anonymous["Location"].startswith("/login/")
    client.force_login(trainee)
    assert client.get(target).status_code == 403


def test_the_cohort_list_shows_only_your_cohorts(client, trainer, cohort, theirs):
    client.force_login(trainer)
    page = client.get(reverse("trainer_cohort_list")).content.decode()
    assert cohort.name in page and "Not yours" not in page


def upload(client, cohort, text: str):
    file = SimpleUploadedFile("people.csv", text.encode())
    return client.post(reverse("trainer_import", args=[cohort.pk]), {"file": file}, follow=True)


def test_two_trainers_an_import_invites_and_each_sees_only_attempts_made_for_their_cohort(
    trainer, other_trainer, cohort, django_capture_on_commit_callbacks
):
    """Coach runs cohort 1, the other trainer cohort 2; both assign the same scenario. The other
    trainer imports coach's trainee: she is invited, not enrolled, and whether or not she joins,
    her attempt made for cohort 1 is not theirs to read."""
    autumn = create_cohort(actor=other_trainer, name="Autumn sellers")
    coach, other = Client(), Client()
    coach.force_login(trainer)
    other.force_login(other_trainer)
    for client, group in ((coach, cohort), (other, autumn)):
        client.post(reverse("trainer_assign", args=[group.pk]), {"scenario": "unlink-a-shop"})
    with django_capture_on_commit_callbacks(execute=True):
        upload(coach, cohort, "username,email\nana,ana@example.com\n")
    ana = User.objects.get(username="ana")
    assert cohort_assigning(ana, "unlink-a-shop") == cohort
    attempt = Attempt.objects.create(
        trainee=ana, scenario_slug="unlink-a-shop", cohort=cohort_assigning(ana, "unlink-a-shop")
    )
    mine = reverse("trainer_attempt", args=[cohort.pk, attempt.pk])
    theirs = reverse("trainer_attempt", args=[autumn.pk, attempt.pk])
    assert coach.get(mine).status_code == 200

    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        page = upload(other, autumn, "username,email\nana,ana@example.com\n").content.decode()
    assert "1 person with a login invited: they join when they accept" in page
    assert not autumn.trainees.filter(pk=ana.pk).exists()
    assert [m.to for m in mail.outbox] == [["ana@example.com"]]
    cohort_page = other.get(reverse("trainer_cohort", args=[autumn.pk])).content.decode()
    assert "Invited" in cohort_page and "ana" in cohort_page
    assert other.get(theirs).status_code == 404
    grid = other.get(reverse("trainer_progress", args=[autumn.pk])).context["grid"]
    assert [t.username for t, _ in grid.rows] == []

    # Ana accepts on her own page: she is in both cohorts now, and her attempt is still cohort 1's.
    her = Client()
    her.force_login(ana)
    home = her.get(reverse("sandbox_list")).content.decode()
    assert "Cohorts inviting you" in home and "Autumn sellers" in home
    invitation = LoginInvitation.objects.get(person=ana, cohort=autumn)
    assert her.post(reverse("login_invitation_accept", args=[invitation.pk])).status_code == 302
    assert autumn.trainees.filter(pk=ana.pk).exists()
    assert other.get(theirs).status_code == 404
    assert coach.get(mine).status_code == 200
    grid = other.get(reverse("trainer_progress", args=[autumn.pk])).context["grid"]
    assert [(t.username, [c.attempts for c in cells]) for t, cells in grid.rows] == [("ana", [0])]
    assert "Cohorts inviting you" not in her.get(reverse("sandbox_list")).content.decode()


def test_an_invited_person_can_decline_and_no_one_else_can_answer(
    client, trainer, cohort, trainee, other_trainee, django_capture_on_commit_callbacks
):
    client.force_login(trainer)
    with django_capture_on_commit_callbacks(execute=True):
        upload(client, cohort, "username,email\ntrainee,trainee@example.com\n")
    invitation = LoginInvitation.objects.get(person=trainee, cohort=cohort)
    for who in (other_trainee, trainer):
        stranger = Client()
        stranger.force_login(who)
        for name in ("login_invitation_accept", "login_invitation_decline"):
            assert stranger.post(reverse(name, args=[invitation.pk])).status_code == 404
    invitation.refresh_from_db()
    assert invitation.answered_at is None
    them = Client()
    them.force_login(trainee)
    assert them.get(reverse("login_invitation_decline", args=[invitation.pk])).status_code == 405
    assert them.post(reverse("login_invitation_decline", args=[invitation.pk])).status_code == 302
    invitation.refresh_from_db()
    assert invitation.accepted is False and not cohort.trainees.filter(pk=trainee.pk).exists()
    # Answered: it is gone from their page and cannot be accepted afterwards.
    assert them.post(reverse("login_invitation_accept", args=[invitation.pk])).status_code == 404
    assert "Declined" in client.get(reverse("trainer_cohort", args=[cohort.pk])).content.decode()
    assert [e.action for e in cohort.events.all()][:2] == ["decline_invitation", "import_trainees"]
