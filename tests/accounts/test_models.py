"""The account model's invariants live in the database too, not only in the services."""

from datetime import timedelta

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts.models import AppAuthorization, ConnectedApp, Sandbox, SellerAccount
from accounts.types import (
    TYPES_NEEDING_CATEGORY,
    AccountType,
    Feature,
    has_feature,
    type_change_preview,
)
from editions import registry
from tests.accounts.factories import (
    AppAuthorizationFactory,
    SandboxFactory,
    SellerAccountFactory,
)
from tests.engine_guard import arranging

pytestmark = pytest.mark.django_db


def violates(build):
    with pytest.raises(IntegrityError), transaction.atomic():
        build()


@pytest.mark.parametrize(
    ("account_type", "category"),
    [("creator", ""), ("business", ""), ("personal", "art")],
)
def test_a_category_is_present_exactly_when_the_type_needs_one(account_type, category):
    sandbox = SandboxFactory()
    violates(
        lambda: SellerAccount.objects.create(
            sandbox=sandbox, display_name="S", account_type=account_type, category=category
        )
    )


@pytest.mark.parametrize(
    ("account_type", "category"), [("personal", ""), ("creator", "art"), ("business", "tech")]
)
def test_valid_type_and_category_pairs_are_stored(account_type, category):
    account = SellerAccountFactory(account_type=account_type, category=category)
    assert SellerAccount.objects.get(pk=account.pk).category == category


def test_unknown_status_or_type_is_refused_by_the_database():
    account = SellerAccountFactory()
    with arranging():  # set-up: a state the services reach only slowly
        violates(lambda: SellerAccount.objects.filter(pk=account.pk).update(status="frozen"))
    with arranging():  # set-up: a state the services reach only slowly
        violates(lambda: SellerAccount.objects.filter(pk=account.pk).update(account_type="vip"))


def test_switching_type_without_a_category_is_refused_by_the_database():
    account = SellerAccountFactory()
    with arranging():  # set-up: a state the services reach only slowly
        violates(lambda: SellerAccount.objects.filter(pk=account.pk).update(account_type="creator"))


def test_the_sandbox_clock_never_runs_behind_real_time():
    sandbox = SandboxFactory()
    violates(lambda: Sandbox.objects.filter(pk=sandbox.pk).update(clock_offset=-timedelta(hours=1)))


def test_sandbox_names_are_unique_per_owner():
    sandbox = SandboxFactory(name="Mine")
    SandboxFactory(name="Mine")  # another owner may reuse it
    violates(lambda: Sandbox.objects.create(owner=sandbox.owner, name="Mine"))


def test_the_sandbox_clock_is_real_time_plus_its_offset():
    sandbox = SandboxFactory(clock_offset=timedelta(days=3))
    before = timezone.now()
    assert before + timedelta(days=3) <= sandbox.now() <= timezone.now() + timedelta(days=3)
    assert str(sandbox) == sandbox.name


def test_the_primary_account_is_the_first_one():
    first = SellerAccountFactory()
    SellerAccountFactory(sandbox=first.sandbox)
    assert first.sandbox.account == first
    assert str(first) == first.display_name and not first.is_deleted
    assert SandboxFactory().account is None


def test_one_live_authorization_per_app_but_any_number_of_past_ones():
    grant = AppAuthorizationFactory()
    AppAuthorizationFactory(account=grant.account, revoked_at=timezone.now())
    violates(lambda: AppAuthorizationFactory(account=grant.account))
    assert grant.is_active
    assert str(grant) == f"TikTok for Business for {grant.account}"
    other = AppAuthorization.objects.create(
        account=grant.account, app=ConnectedApp.SHIPPING_PARTNER, granted_at=timezone.now()
    )
    assert other.scopes == "read"


SOURCE = registry.get("source-article")


def test_the_feature_matrix_of_account_types():
    assert has_feature(AccountType.BUSINESS, Feature.AD_CAMPAIGNS, edition=SOURCE)
    assert not has_feature(AccountType.CREATOR, Feature.PRODUCT_LINKS, edition=SOURCE)
    assert not has_feature(AccountType.BUSINESS, Feature.FULL_MUSIC_LIBRARY, edition=SOURCE)
    assert set(SOURCE.account_types) == set(AccountType.values)
    assert {"creator", "business"} == TYPES_NEEDING_CATEGORY


def test_a_type_change_preview_lists_gains_losses_and_what_is_kept():
    preview = type_change_preview(AccountType.BUSINESS, AccountType.PERSONAL, edition=SOURCE)
    assert preview["gained"] == ["Full music library"]
    assert "Ad campaigns" in preview["lost"] and "Product links" in preview["lost"]
    assert preview["kept"] == []
    assert type_change_preview("creator", "creator", edition=SOURCE)["gained"] == []
