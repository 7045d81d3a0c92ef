"""Demo mode's people: the demo trainer and its cohort, and which logins are published."""

import secrets
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.db.models import F
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
    from lifecycle.demo import DEMO_PASSWORD, DEMO_USERNAME, STAFF_PASSWORD, STAFF_USERNAME

    return [
        ("Trainee", DEMO_USERNAME, DEMO_PASSWORD),
        ("Trainer", TRAINER_USERNAME, TRAINER_PASSWORD),
        ("Support staff (at /admin/)", STAFF_USERNAME, STAFF_PASSWORD),
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

    In demo mode each signs in with the demo trainee's published password, so a trainer can see
    what a trainee of the cohort sees; elsewhere their password is unusable (rows to show).
    """
    names = trainee_names(size)
    password = _trainee_password()
    have = set(User.objects.filter(username__in=names).values_list("username", flat=True))
    fresh = [
        User(username=name, email=f"{name}@example.com", password=password)
        for name in names
        if name not in have
    ]
    User.objects.bulk_create(fresh)
    # Seeded before in the other mode: the password follows the mode the demo runs in now.
    User.objects.filter(username__in=names).exclude(password=password).update(password=password)
    people = list(User.objects.filter(username__in=names))
    Group.objects.get(name=DEMO_GROUP).user_set.add(*people)
    cohort = demo_cohort(trainer, people)
    demo_attempts(trainer, cohort, sorted(people, key=lambda p: p.username))
    return cohort


def trainee_names(size: int) -> list[str]:
    return [f"demo-trainee-{n:02d}" for n in range(1, size + 1)]


def _trainee_password() -> str:
    """The stored password of the demo cohort's trainees: the demo password (hashed once for
    all: a published password needs no salt of its own) in demo mode, else unusable."""
    from lifecycle.demo import DEMO_PASSWORD

    if settings.DEMO_MODE:
        return make_password(DEMO_PASSWORD)
    # bandit: "!" starts an unusable password hash: nobody can sign in with it
    return "!demo"  # nosec B105


def trainee_sign_in(size: int) -> str:
    """How seed_demo says to sign in as one of the demo cohort's trainees."""
    from lifecycle.demo import DEMO_PASSWORD

    first, last = trainee_names(size)[0], trainee_names(size)[-1]
    if settings.DEMO_MODE:
        return f"Demo cohort's trainees: {first} … {last} / {DEMO_PASSWORD}"
    return f"Demo cohort's trainees: {first} … {last} have no password (DEMO_MODE is off)"


# Minutes a seeded attempt takes, as a person would: read the brief, then play (cycled through).
PLAYING_MINUTES = (6, 11, 4, 9, 14, 7, 5, 12)


def _as_a_person_plays(attempt: Attempt, minutes: int) -> None:
    """Date the attempt's start back by `minutes`, on both clocks: a script plays it in
    milliseconds, and the grid read "0 s real · 0 s sandbox". The sandbox's clock runs with
    real time, so the minutes are sandbox minutes too (on top of the clock moves played)."""
    span = timedelta(minutes=minutes)
    Attempt.objects.filter(pk=attempt.pk).update(
        started_at=F("started_at") - span, sandbox_started_at=F("sandbox_started_at") - span
    )


# The demo cohort's scenarios: trainee missions that need no worker to play.
DEMO_SCENARIOS = ("unlink-safely", "pause-sales")
# While their attempts are played, the demo trainees hold a throwaway password, set and checked
# with Django's fast MD5 hasher: pause-sales' careless run requests the deletion, which asks for
# the owner's password, and PBKDF2 costs about 0.8 s of CPU a check here (most of seeding a
# class of 200). The secret is never shown, and each trainee has its stored password back
# before the attempts are done.
PLAY_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


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
    stored: dict[str, list[int]] = {}
    for pk, password in players.values_list("pk", "password"):
        stored.setdefault(password, []).append(pk)
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
                    sandbox = attempt.sandbox
                    assert sandbox is not None  # nosec B101  # a started attempt has its world
                    play_steps(Player(sandbox=sandbox, seller=seller, password=secret), steps)
                    made += 1
                    _as_a_person_plays(attempt, PLAYING_MINUTES[(n + k) % len(PLAYING_MINUTES)])
                    if k == 1 and n % 7 == 0:
                        continue  # still playing
                    play.finish_attempt(attempt=Attempt.objects.get(pk=attempt.pk))
        finally:
            for password, pks in stored.items():  # one stored password for all, as a rule
                User.objects.filter(pk__in=pks).update(password=password)
    return made
