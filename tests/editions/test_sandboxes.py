"""A sandbox keeps the edition it is played under (issue 24, item 3)."""

from dataclasses import replace

from accounts.models import Sandbox
from editions import registry
from rewind.services import restore_checkpoint, save_checkpoint
from tests.lifecycle.helpers import build_world


def other_edition(monkeypatch) -> str:
    """A second edition, the default one under another key, registered for this test."""
    source = registry.default()
    monkeypatch.setitem(
        registry.editions(), "other", replace(source, key="other", name="Other edition")
    )
    return "other"


def test_a_checkpoint_restored_into_a_new_sandbox_keeps_its_edition(trainee, monkeypatch):
    world = build_world(trainee)
    Sandbox.objects.filter(pk=world.sandbox.pk).update(edition=other_edition(monkeypatch))
    world.sandbox.refresh_from_db()
    checkpoint = save_checkpoint(actor=world.actor, sandbox=world.sandbox, name="Before")
    restored = restore_checkpoint(actor=world.actor, checkpoint=checkpoint)
    assert restored.pk != world.sandbox.pk
    assert restored.edition == "other"
