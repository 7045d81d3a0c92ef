"""A refused form keeps the address of its page (issue 8 item 9).

htmx puts a boosted form's answer in the address bar at the URL it was posted to; a refusal
rendered there (409 or 400) left a POST-only address that answers 405 when reloaded. Every
refusal answered to htmx says which address to show: the page the form lives on (HX-Current-URL),
or the page the refusal shows when the view names it. Status code and message are kept.
"""

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse

from lifecycle.models import ExportJob, Outcome, TimelineEvent
from lifecycle.services import Actor, advance_clock, request_export
from tests.test_url_auth import COHORT, OWNED, SAMPLES, SIGNED_IN, SITE, address, world_of
from tests.web import clock_form, demo, shown, url

from .jobs_helpers import ready_for_deletion


def boosted(current: str) -> dict[str, str]:
    """The headers of a boosted htmx form on the page at `current`."""
    return {
        "HTTP_HX_REQUEST": "true",
        "HTTP_HX_BOOSTED": "true",
        "HTTP_HX_CURRENT_URL": f"http://testserver{current}",
    }


@pytest.fixture
def sandbox(trainee):
    return demo(trainee)


def test_a_refused_export_request_keeps_the_exports_page_address(signed_in, sandbox, trainee):
    export = request_export(actor=Actor.trainee(trainee), account=sandbox.account)
    page = url("exports", sandbox)
    response = signed_in.post(url("request_export", sandbox), **boosted(page))
    assert response.status_code == 409
    assert response["HX-Replace-Url"] == page
    assert f"Export #{export.number} is still being prepared" in response.content.decode()


def test_reloading_the_address_shows_the_form_s_page_and_sends_nothing(signed_in, sandbox):
    ready_for_deletion(sandbox.account)
    page = url("close_account", sandbox)
    form = {"password": "not-the-password", "acknowledged": "on"}
    response = signed_in.post(url("request_deletion", sandbox), form, **boosted(page))
    assert response.status_code == 409 and response["HX-Replace-Url"] == page
    refusal = TimelineEvent.objects.filter(sandbox=sandbox).latest("id")
    assert (refusal.outcome, refusal.code) == (Outcome.REFUSED, "wrong_password")
    assert shown(response, refusal.message)  # the refusal's sentence is on the page
    events = TimelineEvent.objects.filter(sandbox=sandbox).count()
    reload = signed_in.get(response["HX-Replace-Url"])  # what the browser's reload asks
    assert reload.status_code == 200
    assert b'name="password"' in reload.content  # the close-account form again
    assert TimelineEvent.objects.filter(sandbox=sandbox).count() == events


def test_a_bad_input_refusal_keeps_its_page_too(signed_in, sandbox):
    page = url("timeline", sandbox)
    form = {"by": "1d", "reading": "not-a-reading", "next": page}
    response = signed_in.post(url("advance_clock", sandbox), form, **boosted(page))
    assert response.status_code == 400
    # The clock's refusal shows the dashboard: the address says so, and a reload shows it.
    assert response["HX-Replace-Url"] == url("dashboard", sandbox)


def test_a_refused_clock_move_shows_the_dashboard_at_its_address(signed_in, sandbox, trainee):
    page = url("exports", sandbox)
    form = clock_form(sandbox, "1d", next=page)
    advance_clock(actor=Actor.trainee(trainee), sandbox=sandbox, by=timedelta(hours=1))
    response = signed_in.post(url("advance_clock", sandbox), form, **boosted(page))
    assert response.status_code == 409
    assert response["HX-Replace-Url"] == url("dashboard", sandbox)


def test_a_refused_cancel_from_the_banner_shows_the_close_page_at_its_address(signed_in, sandbox):
    page = url("orders", sandbox)  # the banner's cancel button is on every page
    response = signed_in.post(url("cancel_deletion", sandbox), **boosted(page))
    assert response.status_code == 409  # nothing to cancel
    assert response["HX-Replace-Url"] == url("close_account", sandbox)


def test_a_plain_form_post_is_answered_as_before(signed_in, sandbox, trainee):
    """Without htmx there is no address to set: the refusal is the page, at the form's URL."""
    request_export(actor=Actor.trainee(trainee), account=sandbox.account)
    response = signed_in.post(url("request_export", sandbox))
    assert response.status_code == 409 and "HX-Replace-Url" not in response


def test_another_site_s_address_is_never_shown(signed_in, sandbox, trainee):
    request_export(actor=Actor.trainee(trainee), account=sandbox.account)
    headers = {**boosted("/"), "HTTP_HX_CURRENT_URL": "https://elsewhere.example/phish/"}
    response = signed_in.post(url("request_export", sandbox), **headers)
    assert response.status_code == 409
    assert response["HX-Replace-Url"] == "false"  # the address bar stays as it is


def test_a_success_is_still_a_redirect(signed_in, sandbox):
    page = url("exports", sandbox)
    response = signed_in.post(url("request_export", sandbox), **boosted(page))
    assert response.status_code == 302 and "HX-Replace-Url" not in response
    assert ExportJob.objects.filter(account=sandbox.account).count() == 1


# Answers htmx puts on screen (base.html's htmx-config): the refusals among them need an address.
SWAPPED_REFUSALS = {400, 403, 404, 409}


def test_every_form_s_refusal_keeps_the_address_of_its_page(trainee):
    """Every form of the site, posted empty by htmx from a page: each refusal names an address
    of this site that a reload may ask for (never the POST-only one it was sent to)."""
    world = world_of(trainee, "Forms")
    clients = {OWNED: Client(), SIGNED_IN: Client(), COHORT: Client()}
    clients[OWNED].force_login(world.owner)
    clients[SIGNED_IN].force_login(world.owner)
    clients[COHORT].force_login(world.trainer)
    # The page each visitor posts from: the trainee's Home, the trainer's list of cohorts.
    start = {OWNED: reverse("dashboard", args=[world.sandbox.pk]), SIGNED_IN: "/"}
    start[COHORT] = reverse("trainer_cohort_list")
    refused, wrong = [], []
    for route in SITE:
        kind, fill = SAMPLES[route.name]
        if kind not in clients:
            continue
        target = address(route, fill(world))
        response = clients[kind].post(target, **boosted(start[kind]))
        if response.status_code not in SWAPPED_REFUSALS:
            continue
        refused.append(route.name)
        shown_at = response.get("HX-Replace-Url")
        if shown_at is None or shown_at == target or not shown_at.startswith("/"):
            wrong.append(f"{route.name}: {response.status_code}, address {shown_at!r}")
        elif clients[kind].get(shown_at).status_code not in (200, 302):
            wrong.append(f"{route.name}: reloading {shown_at} fails")
    assert not wrong, "refusals left at an address a reload cannot show:\n" + "\n".join(wrong)
    assert len(refused) >= 15, refused  # the walk did reach the forms
    among = {"request_export", "request_deletion", "advance_clock", "ship_order", "unlink_shop"}
    assert among | {"sandbox_create", "trainer_invite", "confirm_deletion_page"} <= set(refused)


def test_refusals_are_recorded_once_per_post_not_again_on_reload(signed_in, sandbox):
    ready_for_deletion(sandbox.account)
    page = url("close_account", sandbox)
    form = {"password": "wrong", "acknowledged": "on"}
    response = signed_in.post(url("request_deletion", sandbox), form, **boosted(page))
    signed_in.get(response["HX-Replace-Url"])
    refusals = TimelineEvent.objects.filter(sandbox=sandbox, outcome=Outcome.REFUSED)
    assert list(refusals.values_list("code", flat=True)) == ["wrong_password"]
