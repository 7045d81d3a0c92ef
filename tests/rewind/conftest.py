import pytest

from lifecycle.exporting import build_export
from lifecycle.services import confirm_deletion, request_export, send_deletion_confirmation
from tests.lifecycle.helpers import SCHEDULED, SWEEP, World, build_world, request


@pytest.fixture
def grace(trainee) -> World:
    """An account in the middle of its deletion's grace period, with an export ready and the
    confirmation email in the inbox."""
    world = build_world(trainee)
    export = build_export(request_export(actor=world.actor, account=world.account).pk)
    assert export is not None and export.file
    request(world)
    assert send_deletion_confirmation(actor=SWEEP, request=world.latest_request())
    confirm_deletion(actor=world.actor, token=world.token())
    world.refresh()
    assert world.account.status == SCHEDULED
    return world
