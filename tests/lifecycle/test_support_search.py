"""The desk's search by the numbers the emails and the timeline use (issue 23, item 4):
"48", "#48", "Seller account #48", "Export #16", "Data export #16", "Deletion request #3"."""

import pytest
from django.urls import reverse

from accounts.models import User
from accounts.roles import ensure_support_group
from lifecycle.models import ExportJob
from tests.support_admin import client_for
from tests.web import demo

CASE = "support:case"


@pytest.fixture
def desk(db):
    agent = User.objects.create_user("desk", "desk@example.com", "desk-pass-9", is_staff=True)
    agent.groups.add(ensure_support_group())
    return client_for(agent)


@pytest.fixture
def two(trainee, other_trainee):
    return demo(trainee, name="First"), demo(other_trainee, name="Second")


def opens(desk, query: str) -> str:
    response = desk.get(reverse("support:search"), {"q": query})
    assert response.status_code == 302, (query, response.status_code)
    return response.url


@pytest.mark.parametrize("shape", ["{n}", "#{n}", "Seller account #{n}", "seller account {n}"])
def test_an_account_is_found_by_its_number(desk, two, shape):
    account = two[1].account
    assert opens(desk, shape.format(n=account.pk)) == reverse(CASE, args=[account.pk])


@pytest.mark.parametrize("shape", ["Export #{n}", "export {n}", "Data export #{n}"])
def test_an_export_number_opens_its_account(desk, two, shape):
    """The number the seller's pages and emails give it: its number in its sandbox."""
    account = two[1].account
    job = ExportJob.objects.create(account=account, number=3, requested_at=two[1].now())
    assert opens(desk, shape.format(n=job.number)) == reverse(CASE, args=[account.pk])


def test_an_export_number_of_several_sandboxes_lists_their_accounts(desk, two):
    for sandbox in two:
        ExportJob.objects.create(account=sandbox.account, number=1, requested_at=sandbox.now())
    html = desk.get(reverse("support:search"), {"q": "Export #1"}).content.decode()
    for sandbox in two:
        assert reverse(CASE, args=[sandbox.account.pk]) in html


def test_a_number_that_names_nothing_says_so(desk, two):
    html = desk.get(reverse("support:search"), {"q": "Export #999999"}).content.decode()
    assert "No seller matches" in html and "Seller account #48" in html  # says what to type
