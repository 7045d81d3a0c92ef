"""What the deletion pages say while the broker is down (RULEBOOK §9: never claim what did not
happen): the confirmation email is queued and lands once background jobs are back."""

import pytest

from lifecycle.models import DeletionRequest
from lifecycle.services import Actor, send_deletion_confirmation
from tests.web import shown, url

from .workers import broker_at, flush_broker

pytestmark = pytest.mark.django_db(transaction=True)  # the email is queued after the commit
PASSWORD = "correct-horse-9"
CLOSED_PORT = "redis://127.0.0.1:1/0"
QUEUED = "Background jobs are unavailable right now, so the confirmation email is queued"


@pytest.fixture(autouse=True)
def empty_queue():
    flush_broker()  # this test's messages only, none left behind
    yield
    flush_broker()


def ask(client, account):
    form = {"password": PASSWORD, "acknowledged": "on"}
    return client.post(url("request_deletion", account.sandbox), form, follow=True)


def test_during_an_outage_the_pages_say_the_email_is_queued(signed_in, quiet):
    with broker_at(CLOSED_PORT):
        page = ask(signed_in, quiet)
        assert page.redirect_chain[-1][0] == url("close_requested", quiet.sandbox)
        assert shown(page, QUEUED)
        assert not shown(page, "open the email in your inbox")
        assert not shown(page, "We sent a confirmation link")
        again = signed_in.get(url("close_requested", quiet.sandbox))
        assert shown(again, "The confirmation email is queued. Background jobs are unavailable")


def test_with_jobs_running_the_email_is_on_its_way_then_sent(signed_in, quiet):
    page = ask(signed_in, quiet)
    assert shown(page, "Deletion requested: open the email in your inbox to confirm it.")
    assert shown(page, "The confirmation email is on its way to your inbox.")
    deletion = DeletionRequest.objects.get(account=quiet)
    send_deletion_confirmation(actor=Actor.job("deletion email"), request=deletion.pk)
    page = signed_in.get(url("close_requested", quiet.sandbox))
    assert shown(page, "We sent a confirmation link to your inbox.")
