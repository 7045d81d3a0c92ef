"""Play a script of steps (a reference solution, an alternative, or a careless run) on a built
world.

Each step is looked up in the one registry of steps (`training.scenarios.steps.STEPS`) and
played by its body there, which calls the service its page calls.
"""

from dataclasses import dataclass, field

from accounts.models import Sandbox, SellerAccount, User
from lifecycle.errors import LifecycleError

from . import moves
from .scenarios.playbook import JOB
from .scenarios.steps import STEPS, Step

__all__ = ["JOB", "Player", "play", "staff_player"]


@dataclass
class Player:
    sandbox: Sandbox
    seller: moves.Actor
    password: str
    staff: moves.Actor | None = None
    refusals: list[str] = field(default_factory=list)

    @property
    def account(self) -> SellerAccount:
        return SellerAccount.objects.filter(sandbox=self.sandbox).earliest("id")


def play(player: Player, steps: list[Step]) -> Player:
    """Run every step; a refused step is on the timeline (as a trainee's would be) and the
    script goes on, so a careless run shows what its refusals cost."""
    for step in steps:
        kind = STEPS.get(step.do)
        if kind is None:  # the schema refuses it first; a hand-made Step still cannot slip by
            raise ValueError(f"no step {step.do!r} in the registry")
        actor = player.staff if step.by == "staff" else player.seller
        if actor is None:
            raise ValueError(f"the step {step.do} needs a support agent to play it")
        if step.reason:
            actor = actor.because(step.reason)
        try:
            kind.run(player, step, actor)
        except LifecycleError as err:
            player.refusals.append(f"{step.do}: {err.message}")
    return player


def staff_player(user: User) -> moves.Actor:
    return moves.Actor.staff(user)
