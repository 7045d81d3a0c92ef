"""Helpers for the support admin's tests: staff with chosen permissions, posting admin actions."""

from django.contrib.auth.models import Permission
from django.contrib.messages import get_messages
from django.test import Client
from django.urls import reverse

from accounts.models import User
from tests.accounts.factories import UserFactory


def staff_with(*perms: str) -> User:
    """A staff member (not a superuser) holding exactly these "app.codename" permissions."""
    user = UserFactory(is_staff=True)
    for perm in perms:
        app_label, codename = perm.split(".")
        user.user_permissions.add(
            Permission.objects.get(content_type__app_label=app_label, codename=codename)
        )
    return user


def client_for(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def changelist(model: str) -> str:
    return reverse(f"admin:{model.replace('.', '_')}_changelist")


def change_page(model: str, pk: int) -> str:
    return reverse(f"admin:{model.replace('.', '_')}_change", args=[pk])


REASON = "The seller asked support by email"


def post_action(client: Client, model: str, action: str, objects, **extra):
    """Post an admin action for the objects, as the changelist's action bar does.

    With confirm="yes" it is the preview page's confirmed form, with a reason unless given.
    """
    data = {"action": action, "_selected_action": [o.pk for o in objects], "index": 0, **extra}
    if extra.get("confirm") == "yes":
        data.setdefault("reason", REASON)
    return client.post(changelist(model), data)


def reported(response) -> list[tuple[str, str]]:
    """(level tag, text) of each message the request reported."""
    return [(m.level_tag, m.message) for m in get_messages(response.wsgi_request)]


def offered_actions(client: Client, model: str) -> set[str]:
    response = client.get(changelist(model))
    assert response.status_code == 200
    if response.context["action_form"] is None:
        return set()
    return {name for name, _ in response.context["action_form"].fields["action"].choices if name}
