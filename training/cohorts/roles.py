"""The Trainers group and the demo logins: who runs cohorts, whose password is published."""

from django.contrib.auth.models import Group, Permission

TRAINERS_GROUP = "Trainers"
DEMO_GROUP = "Demo logins"  # published passwords: they cannot be changed or reset


def ensure_trainers_group(**kwargs) -> Group:
    """Create or refresh the group after every `migrate`: it holds exactly `run_cohorts`.

    Trainers work on their own pages, not in the admin, so the group holds no admin rights.
    """
    group, _ = Group.objects.get_or_create(name=TRAINERS_GROUP)
    group.permissions.set(
        Permission.objects.filter(content_type__app_label="training", codename="run_cohorts")
    )
    Group.objects.get_or_create(name=DEMO_GROUP)
    return group


def is_trainer(user) -> bool:
    return user.is_authenticated and user.has_perm("training.run_cohorts")


# The session remembers whether the person signed in as a trainer, so every page can show the
# trainer's navigation without a query; the trainer pages themselves check the right afresh.
TRAINER_SESSION_KEY = "is_trainer"


def remember_role(sender, request, user, **kwargs) -> None:
    """On sign-in (`user_logged_in`): keep in the session whether this person runs cohorts."""
    request.session[TRAINER_SESSION_KEY] = is_trainer(user)


def shows_trainer_pages(request) -> bool:
    """Whether the pages show the trainer's navigation to this request's person."""
    return request.user.is_authenticated and bool(request.session.get(TRAINER_SESSION_KEY))


def is_demo_login(user) -> bool:
    if not user.is_authenticated:
        return False
    cached = getattr(user, "_is_demo_login", None)
    if cached is None:
        cached = user.groups.filter(name=DEMO_GROUP).exists()
        user._is_demo_login = cached
    return cached
