"""Editions of the rules (issue 24, item 1): every rule number is an edition's, checked at start-up,
and a machine reads the edition of the sandbox it acts in."""

import ast
from dataclasses import replace
from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from accounts.models import Sandbox, SellerAccount
from editions import registry
from editions.base import RULE_KINDS, AccountTypeRule
from lifecycle.conf import setting
from lifecycle.core import Actor
from lifecycle.errors import Code, LifecycleError
from lifecycle.services import advance_clock, link_shop, unlink_shop
from lifecycle.wording import count
from shops.models import Shop
from tests.rulebook import rule

ROOT = Path(__file__).resolve().parents[2]
CODE = (
    "accounts", "shops", "lifecycle", "studio", "training", "config", "bench", "editions", "lti",
    "rewind", "tests",
)  # fmt: skip


def test_the_declared_editions_are_sound():
    assert registry.problems() == []
    assert "source-article" in registry.editions()
    assert registry.default_key() == settings.SIMULATOR["EDITION"]


def test_settings_hold_no_rule_number_only_the_default_edition():
    assert not set(settings.SIMULATOR) & set(RULE_KINDS)
    with pytest.raises(KeyError):
        setting("UNLINK_COOLDOWN")


def _rule_names_read_outside_the_editions() -> list[str]:
    """Each `setting("RULE")` / `SIMULATOR["RULE"]` naming a rule, in the project's code."""
    found = []
    for folder in CODE:
        for path in (ROOT / folder).rglob("*.py"):
            if "migrations" in path.parts or path.name == "test_registry.py":
                continue
            for node in ast.walk(ast.parse(path.read_text())):
                named = None
                if isinstance(node, ast.Call) and getattr(node.func, "id", "") == "setting":
                    named = node.args[0] if node.args else None
                elif isinstance(node, ast.Subscript) and "SIMULATOR" in ast.unparse(node.value):
                    named = node.slice
                if isinstance(named, ast.Constant) and named.value in RULE_KINDS:
                    found.append(f"{path.relative_to(ROOT)}:{node.lineno} {named.value}")
    return found


def test_no_rule_number_is_read_outside_the_edition():
    assert _rule_names_read_outside_the_editions() == []


def test_the_scan_finds_a_rule_read_from_settings(tmp_path, monkeypatch):
    """The scan above can fail: a module reading a rule from settings is found."""
    (tmp_path / "lifecycle").mkdir()
    (tmp_path / "lifecycle" / "late.py").write_text('late = setting("DELETION_GRACE")\n')
    monkeypatch.setattr(f"{__name__}.ROOT", tmp_path)
    monkeypatch.setattr(f"{__name__}.CODE", ("lifecycle",))
    assert _rule_names_read_outside_the_editions() == ["lifecycle/late.py:1 DELETION_GRACE"]


def _broken(**changes):
    source = registry.get("source-article")
    return replace(source, key="broken", name="Broken", **changes)


@pytest.mark.parametrize(
    ("change", "problem"),
    [
        (lambda e: {"rules": {k: v for k, v in e.rules.items() if k != "UNLINK_LIMIT"}},
         "does not declare UNLINK_LIMIT"),
        (lambda e: {"rules": {**e.rules, "UNLINK_LIMIT": replace(e.rules["UNLINK_LIMIT"],
                                                                 value=timedelta(days=3))}},
         "UNLINK_LIMIT: a int was expected"),
        (lambda e: {"rules": {**e.rules, "DELETION_GRACE": replace(e.rules["DELETION_GRACE"],
                                                                   value=timedelta(days=-1))}},
         "DELETION_GRACE: no number may be negative"),
        (lambda e: {"rules": {**e.rules, "DELETION_GRACE": replace(e.rules["DELETION_GRACE"],
                                                                   says="Thirty days.")}},
         "DELETION_GRACE: its words have no {n}"),
        (lambda e: {"rules": {**e.rules, "LOYALTY_POINTS": e.rules["UNLINK_LIMIT"]}},
         "declares LOYALTY_POINTS, which no code reads"),
        (lambda e: {"account_types": {"vip": AccountTypeRule("VIP", frozenset())}},
         "account type 'vip' is not one the accounts know"),
        (lambda e: {"account_types": {"personal": AccountTypeRule("P", frozenset({"flying"}))}},
         "personal has the unknown feature 'flying'"),
        (lambda e: {"account_types": {"personal": AccountTypeRule("P", frozenset(),
                                                                  needs_category=True)}},
         "personal disagrees with the database on needing a category"),
    ],
)  # fmt: skip
def test_a_wrong_declaration_stops_the_start_up(monkeypatch, change, problem):
    source = registry.get("source-article")
    monkeypatch.setitem(registry.editions(), "broken", _broken(**change(source)))
    assert any(problem in p for p in registry.problems()), registry.problems()
    with pytest.raises(ImproperlyConfigured, match="The rulebook editions are wrong"):
        registry.check()


def test_a_rule_number_in_settings_or_an_unknown_default_stops_the_start_up(settings):
    settings.SIMULATOR = {**settings.SIMULATOR, "UNLINK_LIMIT": 3, "EDITION": "nowhere"}
    assert registry.problems() == [
        "settings.SIMULATOR holds the rule UNLINK_LIMIT: rules belong in an edition.",
        "settings.SIMULATOR['EDITION'] names no edition: 'nowhere'.",
    ]


@pytest.mark.django_db
def test_a_new_sandbox_is_played_under_the_default_edition(trainee):
    sandbox = Sandbox.objects.create(owner=trainee, name="Default")
    assert sandbox.edition == registry.default_key()
    assert registry.of(sandbox) is registry.default()


@pytest.mark.django_db
def test_each_sandbox_follows_its_own_editions_numbers(trainee, monkeypatch):
    """Two sandboxes side by side, one under an edition with a longer cool-down: the same unlink
    after the same time is allowed in one and refused, with that edition's number, in the other."""
    longer = rule("UNLINK_COOLDOWN") * 2
    source = registry.default()
    rules = {
        **source.rules,
        "UNLINK_COOLDOWN": replace(source.rules["UNLINK_COOLDOWN"], value=longer),
    }
    monkeypatch.setitem(
        registry.editions(), "slower", replace(source, key="slower", name="Slower", rules=rules)
    )
    actor = Actor.trainee(trainee)
    played = []
    for edition in (source.key, "slower"):
        sandbox = Sandbox.objects.create(owner=trainee, name=edition, edition=edition)
        account = SellerAccount.objects.create(sandbox=sandbox, display_name=f"Seller {edition}")
        shop = Shop.objects.create(sandbox=sandbox, name=f"Shop {edition}")
        link_shop(actor=actor, account=account, shop=shop)
        advance_clock(actor=actor, sandbox=sandbox, by=rule("UNLINK_COOLDOWN") + timedelta(hours=1))
        played.append((account, shop))
    (account, shop), (slow_account, slow_shop) = played
    unlink_shop(actor=actor, account=account, shop=shop, confirmed=True)
    with pytest.raises(LifecycleError) as refused:
        unlink_shop(actor=actor, account=slow_account, shop=slow_shop, confirmed=True)
    assert refused.value.code == Code.UNLINK_TOO_SOON
    hours = int(longer.total_seconds() // 3600)
    assert f"only {count(hours, 'hour')} after it was linked" in str(refused.value)
