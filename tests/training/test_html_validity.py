"""The cohort pages are valid HTML, by the same Nu HTML checker run as the Seller Center's."""

from datetime import timedelta

from django.test import Client
from django.urls import reverse

from tests.test_html_validity import check
from tests.web import demo
from training.cohorts.importing import import_trainees
from training.cohorts.joining import accept_login_invitation
from training.cohorts.services import assign_scenario, create_invitation, revoke_invitation
from training.models import Attempt


def test_the_cohort_pages_are_valid_html(client, trainer, cohort, trainee, tmp_path, settings):
    settings.DEMO_MODE = True
    invitation = create_invitation(actor=trainer, cohort=cohort, seats=3, valid_for=timedelta(1))
    spent = create_invitation(actor=trainer, cohort=cohort, seats=3, valid_for=timedelta(1))
    revoke_invitation(actor=trainer, invitation=spent)
    import_trainees(
        actor=trainer, cohort=cohort, text="username,email\ntrainee,trainee@example.com\n"
    )
    assign_scenario(actor=trainer, cohort=cohort, scenario_slug="unlink-a-shop")
    accept_login_invitation(actor=trainee, invitation=trainee.cohort_invitations.get())
    attempt = Attempt.objects.create(trainee=trainee, scenario_slug="unlink-a-shop", cohort=cohort)
    client.force_login(trainer)
    trainee_client = Client()
    trainee_client.force_login(trainee)
    sandbox = demo(trainee)
    pages = {
        "trainer-cohorts": client.get(reverse("trainer_cohort_list")),
        "trainer-cohort": client.get(reverse("trainer_cohort", args=[cohort.pk])),
        "trainer-progress": client.get(reverse("trainer_progress", args=[cohort.pk])),
        "trainer-attempt": client.get(reverse("trainer_attempt", args=[cohort.pk, attempt.pk])),
        "join": Client().get(reverse("join", args=[invitation.token])),
        "join-signed-in": trainee_client.get(reverse("join", args=[invitation.token])),
        "join-refused": Client().get(reverse("join", args=[spent.token])),
        "login-demo-mode": Client().get(reverse("login")),
        "password-reset": Client().get(reverse("password_reset")),
        "password-reset-sent": Client().get(reverse("password_reset_done")),
        "password-reset-bad-link": Client().get(
            reverse("password_reset_confirm", args=["MQ", "set-password"])
        ),
        "password-reset-complete": Client().get(reverse("password_reset_complete")),
        "home-with-assignments": trainee_client.get(reverse("sandbox_list")),
        "sandbox-delete": trainee_client.get(reverse("sandbox_delete", args=[sandbox.pk])),
        "dashboard-with-tour": trainee_client.get(reverse("dashboard", args=[sandbox.pk])),
    }
    statuses = {name: r.status_code for name, r in pages.items()}
    assert statuses == {**{n: 200 for n in pages}, "join-refused": 410}, statuses
    errors = check({n: r.content.decode() for n, r in pages.items()}, tmp_path)
    assert not errors, f"The Nu HTML checker found errors:\n{errors}"
