""" "Choose personal" on the Account type page (issue 8, item 6): the form it shows can be sent.

The rule stays (a personal account has no category, refused with its sentence); the form no
longer offers the old category with the personal type, nor sends one the type cannot have.
"""

from html.parser import HTMLParser

import pytest

from accounts.models import SellerAccount
from lifecycle.errors import Code, LifecycleError
from lifecycle.services import Actor, switch_account_type
from tests.web import demo, url


class _SwitchForm(HTMLParser):
    """What a browser sends from the page's switch form as it is shown (nothing changed)."""

    def __init__(self) -> None:
        super().__init__()
        self.data: dict[str, str] = {}
        self._select: str | None = None
        self._in_form = False

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form" and (a.get("action") or "").endswith("/settings/type/"):
            self._in_form = True
        if not self._in_form:
            return
        if tag == "input" and a.get("type") == "radio" and "checked" in a:
            self.data[a["name"]] = a["value"]
        elif tag == "input" and a.get("type") == "hidden":
            self.data[a["name"]] = a.get("value", "")
        elif tag == "select":
            self._select = a["name"]
            self.data.setdefault(self._select, "")
        elif tag == "option" and self._select and "selected" in a:
            self.data[self._select] = a.get("value", "")

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None
        if tag == "form":
            self._in_form = False


def shown_form(response) -> dict[str, str]:
    parser = _SwitchForm()
    parser.feed(response.content.decode())
    return parser.data


@pytest.fixture
def creator(trainee):
    sandbox = demo(trainee)
    switch_account_type(
        actor=Actor.trainee(trainee),
        account=sandbox.account,
        account_type="creator",
        category="art",
    )
    return sandbox


def test_choose_personal_then_confirm_the_switch(client, trainee, creator):
    client.force_login(trainee)
    page = client.get(url("account_type", creator, query="type=personal"))
    sent = shown_form(page)
    assert sent["account_type"] == "personal"
    assert sent["category"] == ""  # not the old category, which a personal account cannot keep

    response = client.post(url("account_type", creator), sent)

    assert response.status_code == 302
    account = SellerAccount.objects.get(pk=creator.account.pk)
    assert (account.account_type, account.category) == ("personal", "")


def test_choose_business_keeps_the_category_it_needs(client, trainee, creator):
    client.force_login(trainee)
    sent = shown_form(client.get(url("account_type", creator, query="type=business")))
    assert sent == {**sent, "account_type": "business", "category": "art"}
    assert client.post(url("account_type", creator), sent).status_code == 302
    account = SellerAccount.objects.get(pk=creator.account.pk)
    assert (account.account_type, account.category) == ("business", "art")


def test_a_category_sent_with_personal_is_not_what_is_asked(client, trainee, creator):
    """A page opened without ?type (the old category selected) and the radio moved to personal:
    the category field belongs to creator and business only, so the form does not pass it on."""
    client.force_login(trainee)
    sent = {**shown_form(client.get(url("account_type", creator))), "account_type": "personal"}
    assert sent["category"] == "art"
    assert client.post(url("account_type", creator), sent).status_code == 302
    account = SellerAccount.objects.get(pk=creator.account.pk)
    assert (account.account_type, account.category) == ("personal", "")


def test_the_rule_stays_in_the_service(trainee, creator):
    with pytest.raises(LifecycleError) as refused:
        switch_account_type(
            actor=Actor.trainee(trainee),
            account=creator.account,
            account_type="personal",
            category="art",
        )
    assert refused.value.code == Code.CATEGORY_NOT_ALLOWED
    assert refused.value.message == "A personal account has no category: leave it empty."
