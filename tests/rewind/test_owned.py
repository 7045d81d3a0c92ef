"""Every model with rows in a sandbox is copied by a checkpoint: found, never listed by hand."""

from django.apps import apps

from rewind.owned import NOT_HELD, held_labels, refers_to_a_sandbox


def test_every_model_that_refers_to_a_sandbox_is_copied_or_named_with_why():
    forgotten = [
        model._meta.label_lower
        for model in apps.get_models()
        if refers_to_a_sandbox(model)
        and model._meta.label_lower not in held_labels()
        and model._meta.label_lower not in NOT_HELD
    ]
    assert forgotten == []


def test_the_named_exceptions_are_models_and_none_is_also_copied():
    labels = {model._meta.label_lower for model in apps.get_models()}
    assert set(NOT_HELD) <= labels
    assert not set(NOT_HELD) & set(held_labels())


def test_the_rows_of_every_part_of_a_sandbox_are_found_through_their_keys():
    held = held_labels()
    # Directly, through the account, through an order, through a video.
    assert held["shops.shop"].path == "sandbox_id"
    assert held["lifecycle.exportjob"].path == "account__sandbox_id"
    assert held["shops.orderline"].path == "order__account__sandbox_id"
    assert held["studio.productlink"].path == "video__account__sandbox_id"
    for label in (
        "accounts.selleraccount",
        "accounts.appauthorization",
        "shops.shoplink",
        "shops.product",
        "shops.customer",
        "shops.inquiry",
        "shops.campaign",
        "lifecycle.timelineevent",
        "lifecycle.deletionrequest",
        "lifecycle.inboxmessage",
        "lifecycle.supportnote",
        "studio.video",
        "studio.livesession",
    ):
        assert label in held
