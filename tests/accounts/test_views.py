"""Sign-in, sandboxes and Account Settings in the browser's view."""

import pytest
from django.test import Client
from django.urls import reverse

from accounts.models import AccountStatus, AppAuthorization, ConnectedApp, Sandbox
from lifecycle.demo import DemoSizes
from lifecycle.services import Actor, deactivate_account, request_deletion
from shops.models import Campaign, CampaignStatus
from tests.accounts.factories import SellerAccountFactory
from tests.web import count_queries, demo, page_checks, shown, url

PAGES = [
    "seller_profile",
    "profile",
    "account_type",
    "connected_apps",
    "close_or_pause",
]


@pytest.fixture
def sandbox(trainee):
    return demo(trainee)


@pytest.fixture
def signed_in(client, trainee):
    client.force_login(trainee)
    return client


# --- Sign in and sandboxes ------------------------------------------------------------------


def test_sign_in_and_out(client, trainee):
    assert client.get(reverse("login")).status_code == 200
    response = client.post(reverse("login"), {"username": "trainee", "password": "correct-horse-9"})
    assert response.status_code == 302 and response["Location"] == "/"
    assert client.get("/").status_code == 200
    assert client.post(reverse("logout")).status_code == 302
    assert client.get("/").status_code == 302


def test_password_change(signed_in, trainee):
    assert signed_in.get(reverse("password_change")).status_code == 200
    response = signed_in.post(
        reverse("password_change"),
        {
            "old_password": "correct-horse-9",
            "new_password1": "brand-new-horse-42",
            "new_password2": "brand-new-horse-42",
        },
    )
    assert response["Location"] == reverse("password_change_done")
    trainee.refresh_from_db()
    assert trainee.check_password("brand-new-horse-42")
    assert signed_in.get(reverse("password_change_done")).status_code == 200


def test_sandbox_list_shows_only_mine(signed_in, trainee, other_trainee):
    mine = demo(trainee, name="Mine")
    demo(other_trainee, name="Not mine")
    response = signed_in.get(reverse("sandbox_list"))
    assert b"Mine" in response.content and b"Not mine" not in response.content
    switcher = signed_in.get(url("dashboard", mine)).context["my_sandboxes"]
    assert [s.name for s in switcher] == ["Mine"]


def test_create_sandbox_builds_a_demo(signed_in, trainee):
    response = signed_in.post(reverse("sandbox_create"), {"name": "Week one"})
    sandbox = Sandbox.objects.get(owner=trainee, name="Week one")
    assert response["Location"] == url("dashboard", sandbox)
    assert sandbox.account.orders.exists()
    assert not sandbox.is_demo  # a trainee's own sandbox: no demo reset can wipe its timeline


def test_create_sandbox_with_a_taken_name_is_bad_input(signed_in, trainee):
    demo(trainee, name="Taken")
    response = signed_in.post(reverse("sandbox_create"), {"name": "Taken"})
    assert response.status_code == 400
    assert b"You already have a sandbox with that name." in response.content
    assert Sandbox.objects.filter(owner=trainee).count() == 1


def test_a_double_click_on_create_makes_one_sandbox_and_no_server_error(
    signed_in, trainee, monkeypatch
):
    """The second request passes the form's check, then finds the name taken at insert."""
    from lifecycle.services import sandboxes

    real_builder = sandboxes.build_demo_sandbox

    def other_tab_first(**kwargs):
        real_builder(owner=trainee, name="Twice", sizes=DemoSizes(orders=1, customers=1))
        return real_builder(**kwargs)

    monkeypatch.setattr(sandboxes, "build_demo_sandbox", other_tab_first)
    response = signed_in.post(reverse("sandbox_create"), {"name": "Twice"})
    assert response.status_code == 400
    assert b"You already have a sandbox with that name." in response.content
    assert Sandbox.objects.filter(owner=trainee, name="Twice").count() == 1


def test_anonymous_sandbox_pages_redirect(client):
    for address in (reverse("sandbox_list"), reverse("password_change")):
        assert client.get(address).status_code == 302


# --- Every settings page --------------------------------------------------------------------


(
    test_page_of_another_trainee_is_404,
    test_anonymous_is_sent_to_login,
    test_page_queries_do_not_grow_with_rows,
) = page_checks(PAGES)


@pytest.mark.parametrize("name", PAGES)
def test_page_renders(signed_in, sandbox, name):
    response = signed_in.get(url(name, sandbox))
    assert response.status_code == 200
    assert b"Seller profile" in response.content or b"Shop Settings" in response.content


def test_sandbox_list_queries_do_not_grow(signed_in, trainee):
    demo(trainee, name="One")
    one = count_queries(signed_in, reverse("sandbox_list"))
    for n in range(3):
        demo(trainee, name=f"More {n}", rows=2)
    assert count_queries(signed_in, reverse("sandbox_list")) == one


# --- Account type ---------------------------------------------------------------------------


def test_type_page_compares_gains_and_losses(signed_in, sandbox):
    response = signed_in.get(url("account_type", sandbox))
    columns = {c["type"]: c["change"] for c in response.context["comparison"]}
    assert set(columns) == {"personal", "creator"}  # not the type it has
    assert "Ad campaigns" in columns["personal"]["lost"]
    assert "Full music library" in columns["creator"]["gained"]
    assert columns["creator"]["paused"] == [
        "1 active campaign paused",
        "6 product links hidden, not deleted",
    ]


def test_switch_to_creator_and_back_to_business(signed_in, sandbox):
    active = Campaign.objects.get(account__sandbox=sandbox, status=CampaignStatus.ACTIVE)
    response = signed_in.post(
        url("account_type", sandbox), {"account_type": "creator", "category": "fitness"}
    )
    assert response.status_code == 302
    sandbox.account.refresh_from_db()
    assert (sandbox.account.account_type, sandbox.account.category) == ("creator", "fitness")
    active.refresh_from_db()
    assert active.status == CampaignStatus.PAUSED
    signed_in.post(url("account_type", sandbox), {"account_type": "business", "category": "art"})
    sandbox.account.refresh_from_db()
    assert sandbox.account.account_type == "business"


def test_switch_without_category_is_refused(signed_in, sandbox):
    response = signed_in.post(url("account_type", sandbox), {"account_type": "creator"})
    assert response.status_code == 409
    assert shown(response, "A creator account needs a category: pick one from the list.")
    sandbox.account.refresh_from_db()
    assert sandbox.account.account_type == "business"


def test_switch_to_unknown_type_is_bad_input(signed_in, sandbox):
    response = signed_in.post(url("account_type", sandbox), {"account_type": "emperor"})
    assert response.status_code == 400


# --- Connected apps -------------------------------------------------------------------------


def test_remove_then_grant_app(signed_in, sandbox):
    app = ConnectedApp.TIKTOK_FOR_BUSINESS
    confirmation = signed_in.get(url("remove_app", sandbox, app))
    assert b"Remove access" in confirmation.content
    assert signed_in.post(url("remove_app", sandbox, app)).status_code == 302
    live = AppAuthorization.objects.filter(account__sandbox=sandbox, app=app, revoked_at=None)
    assert not live.exists()
    assert signed_in.post(url("grant_app", sandbox, app)).status_code == 302
    assert live.exists()


def test_remove_app_never_granted_is_refused(signed_in, sandbox):
    response = signed_in.post(url("remove_app", sandbox, ConnectedApp.SHIPPING_PARTNER))
    assert response.status_code == 409
    assert shown(response, "ParcelPilot shipping has no access to remove.")


def test_an_app_the_seller_center_does_not_know_is_404(signed_in, sandbox):
    assert signed_in.get(url("remove_app", sandbox, "spyware")).status_code == 404
    assert signed_in.post(url("remove_app", sandbox, "spyware")).status_code == 404
    assert signed_in.post(url("grant_app", sandbox, "spyware")).status_code == 404
    assert not AppAuthorization.objects.filter(app="spyware").exists()


def test_grant_app_while_deactivated_is_refused(signed_in, trainee, sandbox):
    deactivate_account(actor=Actor.trainee(trainee), account=sandbox.account)
    response = signed_in.post(url("grant_app", sandbox, ConnectedApp.SHIPPING_PARTNER))
    assert response.status_code == 409
    assert shown(response, "only an active account can connect apps.")


# --- Deactivate / reactivate ----------------------------------------------------------------


def test_deactivate_asks_then_reactivate(signed_in, sandbox):
    offered = signed_in.get(url("close_or_pause", sandbox)).content
    assert url("deactivate", sandbox).encode() in offered
    assert b"Reactivate the account" not in offered
    confirmation = signed_in.get(url("deactivate", sandbox))
    assert b"Orders already placed stay yours to ship." in confirmation.content
    assert signed_in.post(url("deactivate", sandbox)).status_code == 302
    sandbox.account.refresh_from_db()
    assert sandbox.account.status == AccountStatus.DEACTIVATED
    page = signed_in.get(url("close_or_pause", sandbox))
    assert b"Reactivate the account" in page.content
    assert signed_in.post(url("reactivate", sandbox)).status_code == 302
    sandbox.account.refresh_from_db()
    assert sandbox.account.status == AccountStatus.ACTIVE


def test_reactivate_during_a_deletion_request_is_refused(signed_in, trainee):
    account = SellerAccountFactory(sandbox__owner=trainee)
    request_deletion(
        actor=Actor.trainee(trainee), account=account, password="correct-horse-9", acknowledged=True
    )
    page = signed_in.get(url("close_or_pause", account.sandbox))
    assert shown(page, "Not available while the account is deletion requested.")
    assert url("deactivate", account.sandbox).encode() not in page.content
    response = signed_in.post(url("reactivate", account.sandbox))
    assert response.status_code == 409
    assert shown(
        response,
        "The account is deletion requested: only deactivated accounts can be reactivated.",
    )
    account.refresh_from_db()
    assert account.status == AccountStatus.DELETION_REQUESTED


# --- Protections on every action ------------------------------------------------------------


def actions(sandbox):
    return [
        url("account_type", sandbox),
        url("remove_app", sandbox, ConnectedApp.TIKTOK_FOR_BUSINESS),
        url("grant_app", sandbox, ConnectedApp.SHIPPING_PARTNER),
        url("deactivate", sandbox),
        url("reactivate", sandbox),
    ]


def test_actions_enforce_csrf(trainee, sandbox):
    client = Client(enforce_csrf_checks=True)
    client.force_login(trainee)
    for address in [*actions(sandbox), reverse("sandbox_create")]:
        assert client.post(address, {"name": "x"}).status_code == 403, address


def test_actions_need_sign_in_and_ownership(client, other_trainee, sandbox):
    for address in actions(sandbox):
        response = client.post(address)
        assert response.status_code == 302 and "/login/" in response["Location"], address
    client.force_login(other_trainee)
    for address in actions(sandbox):
        assert client.post(address).status_code == 404, address
    sandbox.account.refresh_from_db()
    assert sandbox.account.status == AccountStatus.ACTIVE


def test_deactivate_during_a_deletion_request_is_refused(signed_in, trainee):
    account = SellerAccountFactory(sandbox__owner=trainee)
    request_deletion(
        actor=Actor.trainee(trainee), account=account, password="correct-horse-9", acknowledged=True
    )
    response = signed_in.post(url("deactivate", account.sandbox))
    assert response.status_code == 409
    assert shown(
        response, "The account is deletion requested: only active accounts can be deactivated."
    )
    account.refresh_from_db()
    assert account.status == AccountStatus.DELETION_REQUESTED
