"""Demo mode's people: the demo trainer and its cohort, and which logins are published."""

import secrets

from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.test.utils import override_settings

from accounts.models import User
from lifecycle.wording import count
from training.models import Attempt

from .models import Cohort, CohortAction, JoinedBy, Membership
from .roles import DEMO_GROUP, ensure_trainers_group
from .services import assign_scenario, create_cohort, record

TRAINER_USERNAME = "trainer"
# bandit: a published demo credential, on purpose
TRAINER_PASSWORD = "trainer-demo-2026"  # noqa: S105  # nosec B105
DEMO_COHORT = "Demo cohort"


def published_logins() -> list[tuple[str, str, str]]:
    """(who, username, password) of every demo login, in the order the sign-in page shows them."""
    from lifecycle.management.commands import seed_demo

    return [
        ("Trainee", seed_demo.DEMO_USERNAME, seed_demo.DEMO_PASSWORD),
        ("Trainer", TRAINER_USERNAME, TRAINER_PASSWORD),
        ("Support staff (at /admin/)", seed_demo.STAFF_USERNAME, seed_demo.STAFF_PASSWORD),
    ]


def demo_logins() -> list[dict[str, str]]:
    """The published logins that exist here and are still demo logins."""
    logins = published_logins()
    present = set(
        User.objects.filter(
            username__in=[username for _, username, _ in logins], groups__name=DEMO_GROUP
        ).values_list("username", flat=True)
    )
    return [
        {"who": who, "username": username, "password": password}
        for who, username, password in logins
        if username in present
    ]


def mark_demo_login(user: User) -> None:
    ensure_trainers_group()
    user.groups.add(Group.objects.get(name=DEMO_GROUP))


def demo_trainer() -> User:
    """The demo trainer (idempotent), in the Trainers group, with its demo cohort."""
    trainers = ensure_trainers_group()
    trainer, created = User.objects.get_or_create(
        username=TRAINER_USERNAME, defaults={"email": "trainer@example.com"}
    )
    if created:
        trainer.set_password(TRAINER_PASSWORD)
        trainer.save()
    trainer.groups.add(trainers, Group.objects.get(name=DEMO_GROUP))
    return trainer


def demo_cohort(trainer: User, trainees: list[User]) -> Cohort:
    """The trainer's demo cohort, holding the given trainees (idempotent)."""
    cohort = Cohort.objects.filter(is_demo=True, trainers=trainer).first()
    if cohort is None:
        trainer = User.objects.get(pk=trainer.pk)  # fresh: the permission cache predates the group
        cohort = create_cohort(actor=trainer, name=DEMO_COHORT, is_demo=True)
    have = set(cohort.memberships.values_list("trainee_id", flat=True))
    new = [t for t in trainees if t.pk not in have]
    if new:
        Membership.objects.bulk_create(
            Membership(cohort=cohort, trainee=t, joined_by=JoinedBy.TRAINER) for t in new
        )
        record(
            actor=None,
            cohort=cohort,
            action=CohortAction.IMPORT,
            subject=count(len(new), "demo trainee"),
            params={"joined": [t.username for t in new], "by": "seed_demo"},
        )
    return cohort


def demo_class(trainer: User, size: int) -> Cohort:
    """The demo cohort filled up to `size` trainees (demo-trainee-01…), all demo logins, with
    the demo scenarios assigned and attempts played, so the trainer's grid has something to show.

    They are rows to show, not people who will sign in (their password is unusable; the demo
    trainee is the one to sign in as).
    """
    names = [f"demo-trainee-{n:02d}" for n in range(1, size + 1)]
    have = set(User.objects.filter(username__in=names).values_list("username", flat=True))
    fresh = [
        User(username=name, email=f"{name}@example.com", password=UNUSABLE)
        for name in names
        if name not in have
    ]
    User.objects.bulk_create(fresh)
    people = list(User.objects.filter(username__in=names))
    Group.objects.get(name=DEMO_GROUP).user_set.add(*people)
    cohort = demo_cohort(trainer, people)
    demo_attempts(trainer, cohort, sorted(people, key=lambda p: p.username))
    return cohort


# The demo cohort's scenarios: trainee missions that need no worker to play.
DEMO_SCENARIOS = ("unlink-safely", "pause-sales")
# While their attempts are played, the demo trainees hold a throwaway password, set and checked
# with Django's fast MD5 hasher: pause-sales' careless run requests the deletion, which asks for
# the owner's password, and PBKDF2 costs about 0.8 s of CPU a check here (most of seeding a
# class of 200). The secret is never shown, and the demo trainees' passwords are unusable again
# before the attempts are done.
PLAY_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
UNUSABLE = "!demo"  # "!" starts an unusable password hash: nobody can sign in with it


def demo_attempts(trainer: User, cohort: Cohort, people: list[User]) -> int:
    """Assign the demo scenarios and play some attempts, as trainees would, graded for real.

    Every fourth trainee has not started; the others play each scenario once, the reference
    solution or (every third) the careless run, and finish it; every seventh leaves the second
    scenario open. Trainees who have attempts already are left as they are (idempotent).
    """
    from lifecycle.services import Actor
    from training import play, scenarios
    from training.script import Player
    from training.script import play as play_steps

    for slug in DEMO_SCENARIOS:
        assign_scenario(actor=trainer, cohort=cohort, scenario_slug=slug)
    played = set(Attempt.objects.filter(trainee__in=people).values_list("trainee_id", flat=True))
    playing = [
        (n, person)
        for n, person in enumerate(people, start=1)
        if n % 4 != 0 and person.pk not in played
    ]
    players = User.objects.filter(pk__in=[person.pk for _, person in playing])
    secret = secrets.token_urlsafe(16)
    made = 0
    with override_settings(PASSWORD_HASHERS=PLAY_HASHERS):
        players.update(password=make_password(secret))
        try:
            for n, person in playing:
                for k, slug in enumerate(DEMO_SCENARIOS):
                    scenario = scenarios.get(slug)
                    attempt = play.start_attempt(trainee=person, scenario=scenario)
                    steps = scenario.careless.steps if n % 3 == 0 else scenario.solution
                    seller = Actor.trainee(person)
                    play_steps(
                        Player(sandbox=attempt.sandbox, seller=seller, password=secret), steps
                    )
                    made += 1
                    if k == 1 and n % 7 == 0:
                        continue  # still playing
                    play.finish_attempt(attempt=attempt)
        finally:
            players.update(password=UNUSABLE)
    return made
