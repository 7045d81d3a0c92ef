"""Authorization walked from the resolver: every URL pattern, every kind of visitor.

Each pattern of `get_resolver()` needs an entry in SAMPLES: which kind of page it is and how
trainee A's real objects fill its arguments. A pattern without one fails
`test_every_pattern_has_sample_arguments`, saying what to add, so no URL escapes these checks.
The admin's own patterns are covered as a whole (ADMIN rules below).

Kinds:
  OWNED      a page of one sandbox: its owner only; anyone else gets 404, signed-out visitors
             are sent to sign in, for GET and POST alike, and nothing changes.
  SIGNED_IN  any signed-in user, about their own things (their sandbox list, their password).
  PUBLIC     no sign-in needed (sign-in itself, /healthz).
  HOP        the emailed link's first hop: it only keeps the token and goes on to an OWNED page.
  COHORT     a trainer page (of the cohort trainer T runs, when it names one): T reaches it,
             another trainer gets 404 on T's cohort, everyone else 403 (signed out: sign in).
  DESK       the support desk beside the admin: the Support group reaches it, other staff get
             403, everyone else goes to the admin's sign-in.
"""

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import pytest
from axes.models import AccessAttempt, AccessFailureLog
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from accounts.models import ConnectedApp, Sandbox, User
from accounts.roles import SUPPORT_GROUP, ensure_support_group
from lifecycle.models import DeletionRequest, InboxMessage, SupportNote, TimelineEvent
from lifecycle.services import Actor
from lti.models import Platform
from rewind.services import save_checkpoint
from studio.models import ProductLink
from tests.web import demo, ready_export
from training.cohorts import catalogue
from training.cohorts.models import LoginInvitation, Membership
from training.cohorts.roles import ensure_trainers_group
from training.cohorts.services import assign_scenario, create_cohort, create_invitation
from training.models import Attempt

OWNED, SIGNED_IN, PUBLIC, HOP = "owned", "signed_in", "public", "hop"
COHORT, DESK = "cohort", "desk"


@dataclass
class World:
    """Trainee A's sandbox and one object of each kind a URL can name."""

    owner: User
    sandbox: Sandbox
    product: Any
    order: Any
    inquiry: Any
    campaign: Any
    shop: Any
    export: Any
    message: Any
    app: str
    trainer: User
    cohort: Any
    invitation: Any
    assignment: Any
    attempt: Any
    video: Any
    link: Any
    live: Any
    login_invitation: Any
    checkpoint: Any


def sb(w: World) -> dict:
    return {"sandbox_id": w.sandbox.pk}


def none(w: World) -> dict:
    return {}


def cohort(w: World) -> dict:
    return {"cohort_id": w.cohort.pk}


def case(w: World) -> dict:
    return {"account_id": w.sandbox.account.pk}


# name -> (kind, the arguments from trainee A's objects)
SAMPLES: dict[str, tuple[str, Callable[[World], dict]]] = {
    "healthz": (PUBLIC, none),
    "login": (PUBLIC, none),
    "logout": (PUBLIC, none),
    "sandbox_list": (SIGNED_IN, none),
    "sandbox_create": (SIGNED_IN, none),
    "password_change": (SIGNED_IN, none),
    "password_change_done": (SIGNED_IN, none),
    "confirm_deletion": (HOP, lambda w: {**sb(w), "token": "sample-token"}),
    "confirm_deletion_page": (OWNED, sb),
    "download_export": (OWNED, lambda w: {**sb(w), "export_id": w.export.pk}),
    # accounts
    "profile": (OWNED, sb),
    "seller_profile": (OWNED, sb),
    "account_type": (OWNED, sb),
    "connected_apps": (OWNED, sb),
    "remove_app": (OWNED, lambda w: {**sb(w), "app": w.app}),
    "grant_app": (OWNED, lambda w: {**sb(w), "app": w.app}),
    "close_or_pause": (OWNED, sb),
    "deactivate": (OWNED, sb),
    "reactivate": (OWNED, sb),
    # shops
    "products": (OWNED, sb),
    "product_status": (OWNED, lambda w: {**sb(w), "product_id": w.product.pk}),
    "edit_product": (OWNED, lambda w: {**sb(w), "product_id": w.product.pk}),
    "orders": (OWNED, sb),
    "bulk_orders": (OWNED, sb),
    "order_detail": (OWNED, lambda w: {**sb(w), "order_id": w.order.pk}),
    "ship_order": (OWNED, lambda w: {**sb(w), "order_id": w.order.pk}),
    "cancel_order": (OWNED, lambda w: {**sb(w), "order_id": w.order.pk}),
    "customers": (OWNED, sb),
    "reply_inquiry": (OWNED, lambda w: {**sb(w), "inquiry_id": w.inquiry.pk}),
    "campaigns": (OWNED, sb),
    "create_campaign": (OWNED, sb),
    "move_campaign": (
        OWNED,
        lambda w: {**sb(w), "campaign_id": w.campaign.pk, "move": "end"},
    ),
    "analytics": (OWNED, sb),
    "linked_accounts": (OWNED, sb),
    "link_shop": (OWNED, lambda w: {**sb(w), "shop_id": w.shop.pk}),
    "unlink_shop": (OWNED, lambda w: {**sb(w), "shop_id": w.shop.pk}),
    # lifecycle
    "dashboard": (OWNED, sb),
    "advance_clock": (OWNED, sb),
    "sandbox_changes": (OWNED, sb),
    "lifecycle_map": (OWNED, sb),
    "close_account": (OWNED, sb),
    "request_deletion": (OWNED, sb),
    "close_requested": (OWNED, sb),
    "cancel_deletion": (OWNED, sb),
    "notify_customers": (OWNED, sb),
    "account_deleted": (OWNED, sb),
    "exports": (OWNED, sb),
    "request_export": (OWNED, sb),
    "export_job": (OWNED, lambda w: {**sb(w), "export_id": w.export.pk}),
    "retry_export": (OWNED, lambda w: {**sb(w), "export_id": w.export.pk}),
    "inbox": (OWNED, sb),
    "inbox_message": (OWNED, lambda w: {**sb(w), "message_id": w.message.pk}),
    "timeline": (OWNED, sb),
    # studio: videos, sounds, product links, live sessions
    "videos": (OWNED, sb),
    "pick_sound": (OWNED, lambda w: {**sb(w), "video_id": w.video.pk}),
    "add_product_link": (OWNED, lambda w: {**sb(w), "video_id": w.video.pk}),
    "remove_product_link": (
        OWNED,
        lambda w: {**sb(w), "video_id": w.link.video_id, "link_id": w.link.pk},
    ),
    "sounds": (OWNED, sb),
    "audience": (OWNED, sb),
    "schedule_live": (OWNED, sb),
    "cancel_live": (OWNED, lambda w: {**sb(w), "session_id": w.live.pk}),
    # training: the trainer's pages, invitations, password reset and the tour
    "trainer_cohort_list": (COHORT, none),
    "trainer_cohort_create": (COHORT, none),
    "trainer_cohort": (COHORT, cohort),
    "trainer_invite": (COHORT, cohort),
    "trainer_revoke_invitation": (
        COHORT,
        lambda w: {**cohort(w), "invitation_id": w.invitation.pk},
    ),
    "trainer_assign": (COHORT, cohort),
    "trainer_unassign": (COHORT, lambda w: {**cohort(w), "assignment_id": w.assignment.pk}),
    "trainer_import": (COHORT, cohort),
    "trainer_progress": (COHORT, cohort),
    "lti_grades": (COHORT, cohort),
    "lti_sync_roster": (COHORT, cohort),
    "trainer_progress_csv": (COHORT, cohort),
    "trainer_attempt": (COHORT, lambda w: {**cohort(w), "attempt_id": w.attempt.pk}),
    "sandbox_rename": (OWNED, sb),
    "sandbox_delete": (OWNED, sb),
    "join": (PUBLIC, lambda w: {"token": w.invitation.token}),
    "login_invitation_accept": (SIGNED_IN, lambda w: {"invitation_id": w.login_invitation.pk}),
    "login_invitation_decline": (SIGNED_IN, lambda w: {"invitation_id": w.login_invitation.pk}),
    "password_reset": (PUBLIC, none),
    # A learning platform's calls (LTI): its signed launch is the only credential.
    "lti_login": (PUBLIC, none),
    "lti_launch": (PUBLIC, none),
    "lti_jwks": (PUBLIC, none),
    "edition_rules": (PUBLIC, lambda w: {"key": "source-article"}),
    "edition_compare": (COHORT, none),
    "lti_deep_link": (PUBLIC, none),
    "password_reset_done": (PUBLIC, none),
    "password_reset_confirm": (PUBLIC, lambda w: {"uidb64": "MQ", "token": "sample-token"}),
    "password_reset_complete": (PUBLIC, none),
    "tour_dismiss": (SIGNED_IN, none),
    "email_verify": (PUBLIC, lambda w: {"uidb64": "MQ", "token": "sample-token"}),
    "email_verification_resend": (SIGNED_IN, none),
    # training: scenarios and the trainee's own attempts
    "training": (SIGNED_IN, none),
    "scenario_start": (SIGNED_IN, lambda w: {"slug": w.attempt.scenario_slug}),
    "attempt": (OWNED, lambda w: {"attempt_id": w.attempt.pk}),
    "attempt_hint": (OWNED, lambda w: {"attempt_id": w.attempt.pk}),
    "attempt_panel": (OWNED, lambda w: {"attempt_id": w.attempt.pk}),
    "attempt_solution": (OWNED, lambda w: {"attempt_id": w.attempt.pk}),
    "attempt_finish": (OWNED, lambda w: {"attempt_id": w.attempt.pk}),
    "attempt_restart": (OWNED, lambda w: {"attempt_id": w.attempt.pk}),
    "attempt_result": (OWNED, lambda w: {"attempt_id": w.attempt.pk}),
    # checkpoints and rewind
    "checkpoints": (OWNED, sb),
    "restore_checkpoint": (OWNED, lambda w: {**sb(w), "checkpoint_id": w.checkpoint.pk}),
    "restore_checkpoint_in_place": (
        OWNED,
        lambda w: {**sb(w), "checkpoint_id": w.checkpoint.pk},
    ),
    "attempt_steps": (OWNED, lambda w: {"attempt_id": w.attempt.pk}),
    "attempt_rewind": (OWNED, lambda w: {"attempt_id": w.attempt.pk}),
    # the support desk
    "support:dashboard": (DESK, none),
    "support:search": (DESK, none),
    "support:case": (DESK, case),
    "support:note": (DESK, case),
    "support:audit": (DESK, none),
}


@dataclass(frozen=True)
class Route:
    name: str  # "admin:..." for the admin's; the pattern itself when it has no name
    pattern: str
    kwargs: frozenset[str]
    callback: Callable
    named: bool


def walk(resolver: URLResolver, prefix: str = "", namespace: str = "") -> Iterator[Route]:
    for entry in resolver.url_patterns:
        pattern = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            inner = ":".join(filter(None, [namespace, entry.namespace or ""]))
            yield from walk(entry, pattern, inner)
        elif isinstance(entry, URLPattern):
            name = entry.name or pattern
            full = f"{namespace}:{name}" if namespace else name
            keys = frozenset(entry.pattern.regex.groupindex)
            yield Route(full, pattern, keys, entry.callback, bool(entry.name))


ROUTES = list(walk(get_resolver()))
SITE = [r for r in ROUTES if not r.name.startswith("admin:")]
STAFF_ONLY = (DESK,)  # their own tests below; trainees never reach them
ADMIN = [r for r in ROUTES if r.name.startswith("admin:")]


def address(route: Route, kwargs: dict) -> str:
    return reverse(route.name, kwargs=kwargs) if kwargs else reverse(route.name)


def world_of(owner: User, name: str) -> World:
    sandbox = demo(owner, name=name)
    account = sandbox.account
    message = InboxMessage.objects.create(
        sandbox=sandbox,
        account=account,
        kind="notice",
        to=account.contact_email,
        subject="A notice",
        body="Hello.",
        sent_at=sandbox.now(),
        dedupe_key=f"url-auth-{sandbox.pk}",
    )
    trainer = User.objects.create_user(
        f"trainer-of-{owner.username}", f"t-{owner.username}@example.com", "trainer-pass-9"
    )
    trainer.groups.add(ensure_trainers_group())
    group = create_cohort(actor=trainer, name=f"Cohort of {owner.username}")
    slug = next(iter(catalogue.scenarios()))
    Membership.objects.create(cohort=group, trainee=owner, joined_by="import")
    link = ProductLink.objects.filter(video__account=account).first()
    evening = create_cohort(actor=trainer, name=f"Evening class of {owner.username}")
    return World(
        checkpoint=save_checkpoint(actor=Actor.trainee(owner), sandbox=sandbox, name="Sample"),
        # An import invited A's login to another cohort of the trainer's: A has not answered.
        login_invitation=LoginInvitation.objects.create(
            cohort=evening, person=owner, invited_by=trainer
        ),
        video=link.video,
        link=link,
        live=account.live_sessions.first(),
        trainer=trainer,
        cohort=group,
        invitation=create_invitation(
            actor=trainer, cohort=group, seats=3, valid_for=timedelta(days=7)
        ),
        assignment=assign_scenario(actor=trainer, cohort=group, scenario_slug=slug),
        # A's attempt at the cohort's scenario, made for this cohort: its trainer reads it.
        attempt=Attempt.objects.create(
            trainee=owner, scenario_slug=slug, sandbox=sandbox, cohort=group
        ),
        owner=owner,
        sandbox=sandbox,
        product=account.products.first(),
        order=account.orders.first(),
        inquiry=account.inquiries.first(),
        campaign=account.campaigns.first(),
        shop=account.shop_links.first().shop,
        export=ready_export(sandbox),
        message=message,
        app=ConnectedApp.TIKTOK_FOR_BUSINESS.value,
    )


@pytest.fixture
def world(trainee) -> World:
    return world_of(trainee, "A's sandbox")


@pytest.fixture
def world_b(other_trainee) -> World:
    return world_of(other_trainee, "B's sandbox")


def signed_in(user: User | None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def owned_addresses(w: World) -> list[tuple[Route, str]]:
    return [
        (r, address(r, SAMPLES[r.name][1](w)))
        for r in SITE
        if r.name in SAMPLES and SAMPLES[r.name][0] == OWNED
    ]


def state_of(w: World) -> tuple:
    """What any accepted request would change: the timeline and the account's status."""
    w.sandbox.account.refresh_from_db()
    return TimelineEvent.objects.filter(sandbox=w.sandbox).count(), w.sandbox.account.status


def refused(client: Client, url: str, *, expect: int = 404) -> str | None:
    """GET and POST the address: `expect` for the method the page takes, and for the other
    either that or 405 (refused before any lookup, so it tells nothing). None when so."""
    answers = {method: getattr(client, method)(url).status_code for method in ("get", "post")}
    if set(answers.values()) <= {expect, 405} and expect in answers.values():
        return None
    return f"{url}: " + ", ".join(f"{m.upper()} {s}" for m, s in answers.items())


def refused_everywhere(client: Client, w: World, *, expect: int = 404) -> list[str]:
    """Every OWNED page of A's; those that did not answer `expect`."""
    wrong = [refused(client, url, expect=expect) for _route, url in owned_addresses(w)]
    return [line for line in wrong if line]


# --- Every pattern is listed ----------------------------------------------------------------


def test_every_pattern_has_sample_arguments():
    missing = [
        f"  {r.name!r} ({r.pattern}): add  {r.name!r}: (OWNED|SIGNED_IN|PUBLIC|HOP, "
        f"lambda w: {{...}})  filling {sorted(r.kwargs) or 'no arguments'} from World"
        for r in SITE
        if r.name not in SAMPLES
    ]
    assert not missing, (
        "URL patterns with no sample arguments in tests/test_url_auth.py SAMPLES (say which "
        "kind of page each is and fill its arguments from trainee A's objects):\n"
        + "\n".join(missing)
    )
    stale = sorted(set(SAMPLES) - {r.name for r in SITE})
    assert not stale, f"SAMPLES names patterns that no longer exist: {stale}"


def test_samples_fill_exactly_the_arguments_of_their_pattern(world):
    wrong = [
        f"{r.name}: pattern takes {sorted(r.kwargs)}, sample gives {sorted(given)}"
        for r in SITE
        if set(given := SAMPLES[r.name][1](world)) != set(r.kwargs)
    ]
    assert not wrong, "\n".join(wrong)


def test_the_owner_reaches_every_owned_page(world):
    """The samples are real: with them, the owner gets the page's own answer (GET only), not
    the 404 everyone else gets: 200, a redirect, 405 for a POST-only page, or the page's
    refusal (400 for the confirmation page without a link, 410 for an export's missing file)."""
    client = signed_in(world.owner)
    wrong = [
        f"GET {url} ({route.name}): {status}"
        for route, url in owned_addresses(world)
        if (status := client.get(url).status_code) not in (200, 302, 400, 405, 410)
    ]
    assert not wrong, "the owner was refused (the sample arguments are wrong?):\n" + "\n".join(
        wrong
    )


# --- Visitors -------------------------------------------------------------------------------


def test_signed_out_visitors_are_sent_to_sign_in(world):
    client = signed_in(None)
    wrong = []
    for route in SITE:
        kind, fill = SAMPLES[route.name]
        url = address(route, fill(world))
        for method in ("get", "post"):
            response = getattr(client, method)(url)
            location = response.get("Location", "")
            if kind in (OWNED, SIGNED_IN, COHORT):
                ok = response.status_code == 302 and location.startswith(reverse("login") + "?")
            elif kind == DESK:
                ok = response.status_code == 302 and location.startswith(reverse("admin:login"))
            elif kind == HOP:
                ok = (method == "get" and location.endswith("/close/confirm/")) or (
                    method == "post" and response.status_code == 405
                )
            else:  # PUBLIC: answered, never a server error
                ok = response.status_code < 500 or route.name == "healthz"
            if not ok:
                wrong.append(f"{method.upper()} {url} ({route.name}): {response.status_code}")
    assert not wrong, "\n".join(wrong)


def test_another_trainee_gets_404_on_every_page_of_a_sandbox_not_theirs(world, world_b):
    before = state_of(world)
    client = signed_in(world_b.owner)
    wrong = refused_everywhere(client, world)
    # Their own pages of the SIGNED_IN kind never show A's sandbox.
    for route in SITE:
        kind, fill = SAMPLES[route.name]
        if kind == SIGNED_IN:
            body = client.get(address(route, fill(world))).content.decode()
            if world.sandbox.name.replace("'", "&#x27;") in body:
                wrong.append(f"{route.name} shows A's sandbox to B")
    assert not wrong, "\n".join(wrong)
    assert state_of(world) == before


def test_another_trainee_gets_404_through_their_own_sandbox_with_a_s_ids(world, world_b):
    """B's own sandbox id, A's product/order/... ids: the object is not found, nothing changes."""
    before = state_of(world)
    client = signed_in(world_b.owner)
    wrong, tried = [], 0
    for route in SITE:
        kind, fill = SAMPLES[route.name]
        kwargs = fill(world)
        if kind != OWNED or not any(k.endswith("_id") and k != "sandbox_id" for k in kwargs):
            continue
        if "sandbox_id" not in route.kwargs:
            continue  # a trainee's own attempt: named by its id alone, no sandbox to swap
        tried += 1
        line = refused(client, address(route, {**kwargs, "sandbox_id": world_b.sandbox.pk}))
        if line:
            wrong.append(f"{line} ({route.name})")
    assert tried >= 10  # every page that names an object besides its sandbox
    assert not wrong, "\n".join(wrong)
    assert state_of(world) == before


@pytest.fixture
def staff_without_permission(db) -> User:
    return User.objects.create_user(
        "plainstaff", "plain@example.com", "plain-pass-9", is_staff=True
    )


@pytest.fixture
def support_agent(db) -> User:
    agent = User.objects.create_user("helper", "helper@example.com", "helper-pass-9", is_staff=True)
    agent.groups.add(ensure_support_group())
    return agent


@pytest.fixture
def trainer_of_a(world) -> User:
    """The trainer of a cohort trainee A is a member of."""
    return world.trainer


# Roles beyond trainees, with what they get on a trainee's Seller Center pages. Staff act on a
# sandbox only through the admin, and a trainer follows a cohort's attempts on the trainer
# pages, so every one of them gets 404 there, even the trainer of A's own cohort.
ROLES = [("staff_without_permission", 404), ("support_agent", 404), ("trainer_of_a", 404)]


@pytest.mark.parametrize(("role", "expect"), ROLES)
def test_staff_roles_do_not_reach_a_trainee_s_pages(world, role, expect, request):
    before = state_of(world)
    client = signed_in(request.getfixturevalue(role))
    wrong = refused_everywhere(client, world, expect=expect)
    assert not wrong, "\n".join(wrong)
    assert state_of(world) == before


def pages_of(kind: str, w: World) -> list[tuple[Route, str]]:
    return [
        (r, address(r, SAMPLES[r.name][1](w)))
        for r in SITE
        if r.name in SAMPLES and SAMPLES[r.name][0] == kind
    ]


def test_trainer_pages_answer_their_trainer_and_no_one_else(
    world, world_b, staff_without_permission, support_agent
):
    wrong = []
    runs = signed_in(world.trainer)
    for route, url in pages_of(COHORT, world):
        if runs.get(url).status_code in (403, 404):
            wrong.append(f"the cohort's trainer refused at GET {url} ({route.name})")
    # Another trainer: 404 on every page of a cohort they do not run.
    other = signed_in(world_b.trainer)
    for route, url in pages_of(COHORT, world):
        if "cohort_id" in route.kwargs and (line := refused(other, url)):
            wrong.append(f"another trainer: {line} ({route.name})")
    # Not a trainer at all: 403 on every trainer page.
    for user in (world_b.owner, world.owner, staff_without_permission, support_agent):
        client = signed_in(user)
        for route, url in pages_of(COHORT, world):
            if line := refused(client, url, expect=403):
                wrong.append(f"{user.username}: {line} ({route.name})")
    assert not wrong, "\n".join(wrong)


def test_a_trainer_reaches_no_object_of_another_cohort_through_their_own(world, world_b):
    """Trainer B on B's own cohort, with the ids of A's cohort's objects (its link, its
    assignment, A's attempt): 404, and nothing changes. Also when trainee A joined B's cohort
    too and B assigns the same scenario: A's attempt was made for A's cohort, not B's."""
    Membership.objects.create(cohort=world_b.cohort, trainee=world.owner, joined_by="invitation")
    assert world_b.assignment.scenario_slug == world.attempt.scenario_slug
    client = signed_in(world_b.trainer)
    wrong, tried = [], 0
    for route in SITE:
        kind, fill = SAMPLES[route.name]
        kwargs = fill(world)
        if kind != COHORT or not set(kwargs) - {"cohort_id"}:
            continue
        tried += 1
        if line := refused(client, address(route, {**kwargs, "cohort_id": world_b.cohort.pk})):
            wrong.append(f"{line} ({route.name})")
    assert tried >= 3  # a link, an assignment, an attempt
    assert not wrong, "\n".join(wrong)
    world.invitation.refresh_from_db()
    assert world.invitation.revoked_at is None and world.cohort.assignments.count() == 1
    # B's own progress grid shows A, but none of the attempts A made for A's cohort.
    grid = client.get(reverse("trainer_progress", args=[world_b.cohort.pk])).context["grid"]
    cells = {t.username: row for t, row in grid.rows}[world.owner.username]
    assert [cell.attempts for cell in cells] == [0]


def test_the_support_desk_answers_the_support_group_only(
    world, world_b, staff_without_permission, support_agent
):
    wrong = []
    desk = signed_in(support_agent)
    for route, url in pages_of(DESK, world):
        if desk.get(url).status_code not in (200, 405):  # the note page takes only a POST
            wrong.append(f"support refused at GET {url} ({route.name})")
    plain = signed_in(staff_without_permission)
    for route, url in pages_of(DESK, world):
        if line := refused(plain, url, expect=403):
            wrong.append(f"staff without permission: {line} ({route.name})")
    for user in (world.owner, world_b.owner, world.trainer):
        client = signed_in(user)
        for route, url in pages_of(DESK, world):
            for method in ("get", "post"):
                response = getattr(client, method)(url)
                if not response.get("Location", "").startswith(reverse("admin:login")):
                    wrong.append(f"{user.username}: {method.upper()} {url} ({route.name})")
    assert not wrong, "\n".join(wrong)


# --- The admin ------------------------------------------------------------------------------


@pytest.fixture
def admin_rows(world) -> None:
    """A row of each admin model the demo has none of, so each change page names a real one."""
    AccessAttempt.objects.create(
        username="someone", ip_address="203.0.113.9", user_agent="x", failures_since_start=5
    )
    AccessFailureLog.objects.create(username="someone", ip_address="203.0.113.9", user_agent="x")
    now = world.sandbox.now()
    DeletionRequest.objects.create(
        account=world.sandbox.account,
        previous_status="active",
        nonce="sample-nonce",
        requested_at=now,
        link_expires_at=now,
    )
    SupportNote.objects.create(
        account=world.sandbox.account, author_label="agent", text="A note.", sandbox_time=now
    )
    Platform.objects.create(
        name="An LMS",
        issuer="https://lms.example.test",
        client_id="simulator",
        auth_url="https://lms.example.test/auth",
        token_url="https://lms.example.test/token",
        keyset_url="https://lms.example.test/jwks",
    )


def admin_kwargs(route: Route, w: World) -> dict:
    """Arguments of an admin pattern: a real row of its model where it names one."""
    model_admin = getattr(route.callback, "model_admin", None)
    kwargs: dict[str, Any] = {}
    for key in route.kwargs:
        if key == "object_id":
            row = model_admin.model.objects.first() if model_admin else w.sandbox
            kwargs[key] = str(row.pk) if row else "1"
        elif key == "id":  # the user admin's password page
            kwargs[key] = str(w.owner.pk)
        elif key == "content_type_id":
            kwargs[key] = ContentType.objects.get_for_model(Sandbox).pk
        elif key == "app_label":
            kwargs[key] = "accounts"
        elif key == "url":
            kwargs[key] = "no-such-page/"
        else:
            pytest.fail(f"admin pattern {route.name} ({route.pattern}): no sample for {key!r}")
    return kwargs


def admin_urls(w: World) -> list[tuple[Route, str]]:
    urls = []
    for route in ADMIN:
        kwargs = admin_kwargs(route, w)
        if route.named:
            urls.append((route, address(route, kwargs)))
        elif set(kwargs) == {"url"}:  # the admin's catch-all, by a path nothing else matches
            urls.append((route, "/admin/" + kwargs["url"]))
        else:  # an unnamed path() pattern (the old change-page address): fill it in
            urls.append(
                (
                    route,
                    "/" + re.sub(r"<(?:\w+:)?(\w+)>", lambda m, kw=kwargs: kw[m[1]], route.pattern),
                )
            )
    return urls


def test_the_admin_sends_signed_out_visitors_and_trainees_to_its_sign_in(world, admin_rows):
    wrong = []
    for who in (None, world.owner):
        client = signed_in(who)
        for route, url in admin_urls(world):
            if route.name == "admin:login":
                continue
            response = client.get(url)
            location = response.get("Location", "")
            target = (
                reverse("admin:index") if route.name == "admin:logout" else reverse("admin:login")
            )
            if response.status_code != 302 or not location.startswith(target):
                wrong.append(f"{who or 'anonymous'}: GET {url}: {response.status_code}")
    assert not wrong, "\n".join(wrong)


# Admin pages any staff member reaches, whatever their permissions.
EVERY_STAFF = {"admin:index", "admin:password_change", "admin:password_change_done", "admin:jsi18n"}


def test_staff_without_permission_see_no_admin_page_of_a_model(
    world, admin_rows, staff_without_permission
):
    client = signed_in(staff_without_permission)
    wrong = []
    for route, url in admin_urls(world):
        status = client.get(url).status_code
        if route.name in EVERY_STAFF or route.name == "admin:login":
            ok = status in (200, 302)
        elif route.name == "admin:logout":
            ok = status == 405  # GET: logging out is a POST
        elif not route.named and "url" in route.kwargs:  # the catch-all: nothing there
            ok = status == 404
        elif not route.named:  # the old change-page address: a redirect to the checked one
            ok = status == 302
        else:
            ok = status in (403, 404)
        if not ok:
            wrong.append(f"GET {url} ({route.name}): {status}")
    assert not wrong, "\n".join(wrong)


def test_the_support_group_views_the_simulator_and_changes_nothing_but_lockouts(
    world, admin_rows, support_agent
):
    group = Group.objects.get(name=SUPPORT_GROUP)
    viewable = {
        (p.content_type.app_label, p.content_type.model)
        for p in group.permissions.filter(codename__startswith="view_")
    }
    client = signed_in(support_agent)
    wrong = []
    for route, url in admin_urls(world):
        model_admin = getattr(route.callback, "model_admin", None)
        if model_admin is None:
            continue
        key = (model_admin.opts.app_label, model_admin.opts.model_name)
        status = client.get(url).status_code
        view = route.name.endswith(("_changelist", "_change", "_history"))
        if view:
            expect = 200 if key in viewable else 403
        elif route.name.endswith("_delete"):
            expect = 200 if key == ("axes", "accessattempt") else 403
        elif route.name.endswith("_add"):
            expect = 403
        else:
            continue  # a model admin's own extra views, checked in their own tests
        if status != expect:
            wrong.append(f"GET {url} ({route.name}): {status}, expected {expect}")
    assert not wrong, "\n".join(wrong)
