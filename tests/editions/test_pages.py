"""The rules in force for everyone to read (issue 24, items 3 and 4): a rules page per edition
generated from its declaration, the comparison for trainers, the edition named in the top bar and
the Help menu, "Why?" beside refusals, and the edition chosen when a sandbox is created."""

from dataclasses import replace
from datetime import timedelta

import pytest
from django.urls import reverse

from accounts.models import Sandbox
from accounts.types import AccountType, Feature
from editions import registry
from editions.pages import rule_lines
from lifecycle.core import Actor
from lifecycle.errors import Code, LifecycleError
from lifecycle.models import TimelineEvent
from lifecycle.services import create_sandbox, link_shop
from tests.lifecycle.helpers import build_world
from tests.rulebook import change_rules, days_of, hours_of
from tests.test_page_text import visible_text
from tests.training.conftest import make_trainer
from tests.web import url

pytestmark = pytest.mark.django_db

SOURCE = "source-article"


def rules_page(client, key: str = SOURCE) -> str:
    response = client.get(reverse("edition_rules", args=[key]))
    assert response.status_code == 200
    return visible_text(response.content.decode())


def other_edition(monkeypatch, **numbers) -> str:
    """A second edition: the default one with other numbers, and no ad campaigns for business."""
    source = registry.default()
    rules = {**source.rules}
    for name, value in numbers.items():
        rules[name] = replace(rules[name], value=value)
    business = source.account_types[AccountType.BUSINESS]
    types = {
        **source.account_types,
        AccountType.BUSINESS: replace(
            business, features=business.features - {Feature.AD_CAMPAIGNS}
        ),
    }
    other = replace(source, key="other", name="Other market", rules=rules, account_types=types)
    monkeypatch.setitem(registry.editions(), "other", other)
    return "other"


def test_the_rules_page_states_every_rule_with_its_number_and_source(client):
    text = rules_page(client)  # signed out: the rules are for everyone to read
    edition = registry.get(SOURCE)
    for line in rule_lines(edition):
        assert line.sentence in text and line.number in text
    assert f"A shop can be unlinked only {hours_of('UNLINK_COOLDOWN')} after it was linked." in text
    assert "A published platform rule (rulebook §3)" in text
    assert "Commercial sounds only" in text  # the account types' grid, from the same declaration


def test_changing_an_editions_number_changes_the_rules_page(client, monkeypatch):
    before = rules_page(client)
    assert f"{days_of('DELETION_GRACE')} later" in before
    change_rules(monkeypatch, DELETION_GRACE=timedelta(days=12))
    after = rules_page(client)
    assert "carried out 12 days later" in after and f"{days_of('DELETION_GRACE')} later" in after


def test_an_unknown_edition_has_no_rules_page(client):
    assert client.get(reverse("edition_rules", args=["nowhere"])).status_code == 404


def test_trainers_compare_two_editions(client, monkeypatch):
    other = other_edition(monkeypatch, UNLINK_LIMIT=5)
    client.force_login(make_trainer("coach"))
    response = client.get(reverse("edition_compare"), {"first": SOURCE, "second": other})
    rows = [
        " | ".join(visible_text(cell) for cell in row.split("</td>")[:3])
        for row in response.content.decode().split("<tr>")[2:]
    ]
    assert len(rows) == 2, rows
    assert "unlinked at most … within the unlink window" in rows[0]
    assert "3 unlinks" in rows[0] and "5 unlinks" in rows[0]
    assert "Ad campaigns, Business" in rows[1] and "Yes" in rows[1] and "No" in rows[1]
    same = client.get(reverse("edition_compare"), {"first": SOURCE, "second": SOURCE})
    assert "have the same rules" in visible_text(same.content.decode())


def test_the_comparison_is_for_trainers(client, trainee):
    client.force_login(trainee)
    assert client.get(reverse("edition_compare")).status_code == 403


def test_the_top_bar_and_the_help_menu_name_the_edition_in_force(client, trainee, monkeypatch):
    world = build_world(trainee)
    Sandbox.objects.filter(pk=world.sandbox.pk).update(edition=other_edition(monkeypatch))
    client.force_login(trainee)
    body = client.get(url("dashboard", world.sandbox)).content.decode()
    rules = reverse("edition_rules", args=["other"])
    assert f'href="{rules}" data-testid="edition"' in body
    assert "Other market</a>" in body and "Rules in force: Other market" in body


def test_a_refused_control_and_a_refusal_say_why(client, trainee):
    world = build_world(trainee)
    link_shop(actor=world.actor, account=world.account, shop=world.spare)  # in its cool-down
    client.force_login(trainee)
    why = reverse("edition_rules", args=[SOURCE]) + "#unlink-cooldown"
    page = client.get(url("linked_accounts", world.sandbox)).content.decode()
    assert f'href="{why}" data-testid="why"' in page
    refused = client.post(
        url("unlink_shop", world.sandbox, world.spare.pk), {"confirmed": "1"}, follow=True
    )
    assert refused.status_code == 409
    message = refused.content.decode().split('id="messages"')[1].split("</div>")[0]
    assert "can be unlinked only" in message and f'href="{why}"' in message


def test_a_sandbox_is_created_under_the_edition_chosen(client, trainee, monkeypatch):
    other = other_edition(monkeypatch)
    client.force_login(trainee)
    form = client.get(reverse("sandbox_list")).content.decode()
    assert 'name="edition"' in form and "Other market" in form
    response = client.post(reverse("sandbox_create"), {"name": "Abroad", "edition": other})
    assert response.status_code == 302
    sandbox = Sandbox.objects.get(owner=trainee, name="Abroad")
    assert sandbox.edition == other
    created = TimelineEvent.objects.get(sandbox=sandbox, action="create_sandbox")
    assert created.params["edition"] == other
    plain = client.post(reverse("sandbox_create"), {"name": "Home"})  # none chosen: the default
    assert plain.status_code == 302
    assert Sandbox.objects.get(owner=trainee, name="Home").edition == registry.default_key()


def test_a_sandbox_under_an_unknown_edition_is_refused(client, trainee):
    client.force_login(trainee)
    response = client.post(reverse("sandbox_create"), {"name": "Nowhere", "edition": "nowhere"})
    assert response.status_code == 400
    with pytest.raises(LifecycleError) as refused:
        create_sandbox(actor=Actor.trainee(trainee), name="Nowhere", edition="nowhere")
    assert refused.value.code == Code.UNKNOWN_EDITION
    assert (
        refused.value.message == "There is no such edition of the rules: choose “Source article”."
    )
    assert not Sandbox.objects.filter(name="Nowhere").exists()


def test_a_reset_demo_keeps_its_edition(trainee, monkeypatch):
    from lifecycle.demo import build_demo_sandbox
    from lifecycle.services import reset_demo_sandbox

    other = other_edition(monkeypatch)
    demo = build_demo_sandbox(owner=trainee, name="Demo", edition=other)
    fresh = reset_demo_sandbox(actor=Actor.trainee(trainee), sandbox=demo)
    assert fresh.edition == other


def test_the_support_case_page_names_the_edition(trainee, monkeypatch):
    from tests.accounts.factories import UserFactory
    from tests.support_admin import client_for

    world = build_world(trainee)
    Sandbox.objects.filter(pk=world.sandbox.pk).update(edition=other_edition(monkeypatch))
    lead = client_for(UserFactory(is_staff=True, is_superuser=True))
    page = lead.get(reverse("support:case", args=[world.account.pk])).content.decode()
    rules = reverse("edition_rules", args=["other"])
    assert f'edition <a href="{rules}">“Other market”</a>' in page
