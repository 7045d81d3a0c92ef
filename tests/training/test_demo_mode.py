"""Demo mode: the published logins, what they may not do, and the nightly demo reset."""

import logging
from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse

from accounts.models import Sandbox, User
from lifecycle.demo import DemoSizes, build_demo_sandbox
from lifecycle.management.commands.seed_demo import DEMO_PASSWORD, DEMO_USERNAME
from lifecycle.models import TimelineEvent
from lifecycle.services import Actor, advance_clock, deactivate_account, unlink_shop
from shops.models import Order, Product
from training.cohorts.demo import TRAINER_PASSWORD, TRAINER_USERNAME
from training.cohorts.models import Cohort
from training.cohorts.roles import is_trainer
from training.cohorts.tasks import reset_demo_sandboxes_task, reset_each


@pytest.fixture
def seeded(db):
    call_command("seed_demo", stdout=StringIO())
    return User.objects.get(username=DEMO_USERNAME)


def test_seed_demo_makes_a_demo_trainer_running_the_demo_cohort(seeded):
    trainer = User.objects.get(username=TRAINER_USERNAME)
    assert trainer.check_password(TRAINER_PASSWORD) and is_trainer(trainer)
    assert not trainer.is_staff
    cohort = Cohort.objects.get(is_demo=True)
    assert list(cohort.trainers.all()) == [trainer]
    assert list(cohort.trainees.all()) == [seeded]
    call_command("seed_demo", stdout=StringIO())  # idempotent
    assert Cohort.objects.count() == 1 and cohort.trainees.count() == 1


def test_the_sign_in_page_shows_the_demo_logins_in_demo_mode_only(client, seeded, settings):
    settings.DEMO_MODE = True
    page = client.get(reverse("login")).content.decode()
    assert DEMO_PASSWORD in page and TRAINER_PASSWORD in page
    assert "support-agent" not in page  # no support agent was made (DEBUG is off)
    settings.DEMO_MODE = False
    page = client.get(reverse("login")).content.decode()
    assert DEMO_PASSWORD not in page and TRAINER_PASSWORD not in page


def test_in_demo_mode_seed_demo_also_makes_the_support_agent(client, db, settings):
    settings.DEMO_MODE = True
    call_command("seed_demo", stdout=StringIO())
    assert User.objects.get(username="support").is_staff
    assert "support-agent-2026" in client.get(reverse("login")).content.decode()


@pytest.mark.parametrize("username", [DEMO_USERNAME, TRAINER_USERNAME])
def test_demo_logins_cannot_change_their_passwords(client, seeded, username):
    user = User.objects.get(username=username)
    client.force_login(user)
    assert client.get(reverse("password_change")).status_code == 403
    response = client.post(
        reverse("password_change"),
        {
            "old_password": "x",
            "new_password1": "sturdy-lantern-42",
            "new_password2": "sturdy-lantern-42",
        },
    )
    assert response.status_code == 403
    assert "keeps its password" in response.content.decode()
    user.refresh_from_db()
    assert not user.check_password("sturdy-lantern-42")


def test_demo_logins_get_no_reset_email(client, seeded, mailoutbox):
    client.post(reverse("password_reset"), {"email": seeded.email})
    assert mailoutbox == []


def test_someone_else_changes_their_password(client, trainee):
    client.force_login(trainee)
    response = client.post(
        reverse("password_change"),
        {
            "old_password": "correct-horse-9",
            "new_password1": "sturdy-lantern-42",
            "new_password2": "sturdy-lantern-42",
        },
    )
    assert response.status_code == 302
    trainee.refresh_from_db()
    assert trainee.check_password("sturdy-lantern-42")


def test_the_demo_trainee_cannot_reach_the_admin(client, seeded):
    client.force_login(seeded)
    response = client.get(reverse("admin:index"))
    assert response.status_code == 302 and "/admin/login/" in response["Location"]
    signed = client.post(
        reverse("admin:login"), {"username": DEMO_USERNAME, "password": DEMO_PASSWORD}
    )
    assert signed.status_code == 200  # the admin's login form again, with its refusal
    assert "staff account" in signed.content.decode()
    assert client.get(reverse("admin:accounts_sandbox_changelist")).status_code == 302


def snapshot(sandbox: Sandbox) -> dict:
    """The demo's starting rows, without ids and times (a rebuilt sandbox has new ones)."""
    account = sandbox.account
    return {
        "sandbox": (sandbox.name, sandbox.owner_id, sandbox.is_demo, sandbox.clock_offset),
        "account": (account.display_name, account.account_type, account.category, account.status),
        "links": sorted(
            (link.shop.name, link.unlinked_at is None) for link in account.shop_links.all()
        ),
        "products": sorted(
            Product.objects.filter(account=account).values_list(
                "sku", "title", "price", "stock", "listing_status"
            )
        ),
        "orders": sorted(
            Order.objects.filter(account=account).values_list(
                "number", "status", "tracking_number", "shipping_address", "customer__email"
            )
        ),
        "lines": sorted(
            Order.objects.filter(account=account).values_list(
                "number", "lines__product__sku", "lines__quantity", "lines__unit_price"
            )
        ),
        "customers": sorted(account.customers.values_list("name", "email")),
        "campaigns": sorted(account.campaigns.values_list("name", "budget", "status")),
        "apps": sorted(account.app_authorizations.values_list("app", "scopes", "revoked_at")),
        # Events carried over from the sandbox a reset replaced are kept (RULEBOOK §8), and are
        # not part of the fresh start: only those since this sandbox was built.
        "events": sorted(
            TimelineEvent.objects.filter(sandbox=sandbox, real_time__gte=sandbox.created_at)
            .exclude(action="reset_demo")
            .values_list("action", "outcome", "subject_label")
        ),
    }


def test_the_nightly_reset_restores_a_demo_sandbox_exactly_and_spares_the_rest(
    seeded, trainee, settings
):
    settings.DEMO_MODE = True
    demo = seeded.sandboxes.get(is_demo=True)
    before = snapshot(demo)
    own = build_demo_sandbox(owner=trainee, name="Mine", sizes=DemoSizes(orders=8), is_demo=False)
    # The visitor plays with the demo, and the trainee with their own sandbox.
    for sandbox, user in ((demo, seeded), (own, trainee)):
        actor = Actor.trainee(user)
        link = sandbox.account.shop_links.get(unlinked_at=None)
        unlink_shop(actor=actor, account=sandbox.account, shop=link.shop, confirmed=True)
        deactivate_account(actor=actor, account=sandbox.account)
        advance_clock(actor=actor, sandbox=sandbox, by=timedelta(days=7))
    own_before = snapshot(Sandbox.objects.get(pk=own.pk))
    own_events = TimelineEvent.objects.filter(sandbox=own).count()
    assert snapshot(Sandbox.objects.get(pk=demo.pk)) != before

    assert reset_demo_sandboxes_task.apply().get() == 1

    fresh = seeded.sandboxes.get(is_demo=True)
    assert fresh.pk != demo.pk
    assert snapshot(fresh) == before
    assert TimelineEvent.objects.filter(sandbox=fresh, action="reset_demo").get().actor_label == (
        "job: nightly demo reset"
    )
    kept = TimelineEvent.objects.filter(sandbox=fresh, real_time__lt=fresh.created_at)
    assert {"unlink_shop", "deactivate", "advance_clock"} <= set(
        kept.values_list("action", flat=True)
    )
    mine = Sandbox.objects.get(pk=own.pk)
    assert snapshot(mine) == own_before
    assert TimelineEvent.objects.filter(sandbox=own).count() == own_events


def test_the_nightly_reset_does_nothing_outside_demo_mode(seeded, settings):
    settings.DEMO_MODE = False
    demo = seeded.sandboxes.get(is_demo=True)
    assert reset_demo_sandboxes_task.apply().get() == 0
    assert Sandbox.objects.filter(pk=demo.pk).exists()


def test_the_nightly_reset_is_declared_with_the_periodic_schedules():
    from config.celery import app

    entry = app.conf.beat_schedule["reset-demo-sandboxes-nightly"]
    assert entry["task"] == reset_demo_sandboxes_task.name
    assert entry["schedule"].hour == {3} and entry["schedule"].minute == {0}


def test_seed_demo_trainees_fills_the_demo_cohort_once(db, monkeypatch):
    monkeypatch.undo()  # the shipped scenarios, not the tests' stand-in
    out = StringIO()
    call_command("seed_demo", "--trainees", "5", stdout=out)
    assert "5 trainees" in out.getvalue()
    cohort = Cohort.objects.get(is_demo=True)
    assert cohort.trainees.filter(username__startswith="demo-trainee-").count() == 5
    call_command("seed_demo", "--trainees", "5", stdout=StringIO())
    assert cohort.trainees.count() == 6  # the five and the demo trainee, nobody twice


def test_seed_demo_trainees_plays_graded_attempts_for_the_trainers_grid(db, monkeypatch):
    monkeypatch.undo()  # the shipped scenarios, not the tests' stand-in
    from training.models import Attempt

    call_command("seed_demo", "--trainees", "8", stdout=StringIO())
    cohort = Cohort.objects.get(is_demo=True)
    assert sorted(cohort.assignments.values_list("scenario_slug", flat=True)) == [
        "pause-sales",
        "unlink-safely",
    ]
    attempts = Attempt.objects.filter(trainee__username__startswith="demo-trainee-")
    # Trainees 4 and 8 have not started; the six others played both scenarios; 7 left one open.
    assert attempts.count() == 12
    assert attempts.filter(finished_at=None).count() == 1
    finished = attempts.exclude(finished_at=None)
    assert finished.filter(passed=True).exists() and finished.filter(passed=False).exists()
    assert all(a.result and a.score is not None for a in finished)
    call_command("seed_demo", "--trainees", "8", stdout=StringIO())  # idempotent
    assert attempts.count() == 12


def test_seeding_a_class_plays_the_careless_runs_as_written_without_a_hash_per_attempt(
    db, monkeypatch, settings
):
    """pause-sales' careless run requests the deletion, which asks for the owner's password.
    The player typed none, so the request was refused ("That password is not right") and each
    refusal still cost a PBKDF2 hash: most of seeding a class of 200. Now the request goes
    through (the attempt breaks "deletion-asked", as the scenario says) and seeding hashes only
    the two demo logins it makes."""
    monkeypatch.undo()  # the shipped scenarios, not the tests' stand-in
    from django.contrib.auth.hashers import PBKDF2PasswordHasher

    from lifecycle.models import DeletionRequest
    from training.models import Attempt

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.PBKDF2PasswordHasher"]
    monkeypatch.setattr(PBKDF2PasswordHasher, "iterations", 1)  # counted, not slow
    hashes: list[str] = []
    encode = PBKDF2PasswordHasher.encode
    monkeypatch.setattr(
        PBKDF2PasswordHasher,
        "encode",
        lambda self, password, salt, iterations=None: (
            hashes.append(salt) or encode(self, password, salt, iterations)
        ),
    )

    call_command("seed_demo", "--trainees", "8", stdout=StringIO())

    assert len(hashes) == 2  # the demo trainee's and the trainer's logins, none per attempt
    careless = Attempt.objects.get(trainee__username="demo-trainee-03", scenario_slug="pause-sales")
    assert careless.result["deletion-asked"]["met"] is False and careless.passed is False
    assert DeletionRequest.objects.filter(account__sandbox=careless.sandbox).count() == 1
    refused = TimelineEvent.objects.filter(sandbox__owner__username__startswith="demo-trainee-")
    assert not refused.filter(code="wrong_password").exists()
    demo_trainees = User.objects.filter(username__startswith="demo-trainee-")
    assert demo_trainees.count() == 8
    assert not any(person.has_usable_password() for person in demo_trainees)


def test_seeded_attempts_took_the_time_a_person_takes(db, monkeypatch):
    """The grid showed "0 s real · 0 s sandbox" for every seeded attempt (played in
    milliseconds): each seeded attempt takes minutes, the same on the sandbox's clock (which runs
    with real time) plus the clock moves its steps made."""
    monkeypatch.undo()  # the shipped scenarios, not the tests' stand-in
    from training.cohorts.progress import duration_text
    from training.models import Attempt

    call_command("seed_demo", "--trainees", "6", stdout=StringIO())
    finished = Attempt.objects.filter(trainee__username__startswith="demo-trainee-").exclude(
        finished_at=None
    )
    assert finished.exists()
    for attempt in finished:
        assert attempt.real_duration >= timedelta(minutes=3), attempt
        assert attempt.sandbox_duration >= attempt.real_duration, attempt
        assert duration_text(attempt.real_duration).endswith("min")
    assert len({a.real_duration.seconds // 60 for a in finished}) > 1  # not all alike


@pytest.mark.parametrize("demo_mode", [True, False])
def test_demo_cohort_trainees_sign_in_with_the_demo_password_in_demo_mode_only(
    client, db, settings, monkeypatch, demo_mode
):
    """Seeded demo trainees had unusable passwords: a trainer could not see a trainee's view."""
    monkeypatch.undo()
    settings.DEMO_MODE = demo_mode
    out = StringIO()
    call_command("seed_demo", "--trainees", "2", stdout=out)
    first = User.objects.get(username="demo-trainee-01")
    assert first.check_password(DEMO_PASSWORD) is demo_mode
    person = User.objects.get(username="demo-trainee-02")
    assert person.has_usable_password() is demo_mode
    signed_in = client.post(
        reverse("login"), {"username": "demo-trainee-01", "password": DEMO_PASSWORD}
    )
    assert (signed_in.status_code == 302) is demo_mode
    if demo_mode:
        assert f"demo-trainee-01 … demo-trainee-02 / {DEMO_PASSWORD}" in out.getvalue()
    else:
        assert "no password" in out.getvalue()


def test_a_second_copy_of_the_nightly_reset_finds_nothing_to_do(seeded, settings, caplog):
    """Two schedulers by mistake send the reset twice: the second copy leaves the fresh demo
    sandbox alone and says so (it raised Sandbox.DoesNotExist with a traceback)."""
    settings.DEMO_MODE = True
    assert reset_demo_sandboxes_task.apply().get() == 1
    fresh = seeded.sandboxes.get(is_demo=True)
    with caplog.at_level(logging.INFO, logger="training.cohorts.tasks"):
        assert reset_demo_sandboxes_task.apply().get() == 0
    assert seeded.sandboxes.get(is_demo=True).pk == fresh.pk
    assert "demo reset: nothing to do" in caplog.text


def test_a_copy_that_waited_for_a_sandbox_another_copy_replaced_skips_it(seeded, settings, caplog):
    settings.DEMO_MODE = True
    listed = list(Sandbox.objects.filter(is_demo=True).values_list("pk", flat=True))
    assert reset_demo_sandboxes_task.apply().get() == 1  # the first copy replaces them
    with caplog.at_level(logging.INFO, logger="training.cohorts.tasks"):
        assert reset_each(listed) == 0  # the second copy, with the list it read before
    assert f"sandbox {listed[0]} was reset meanwhile by another copy" in caplog.text
