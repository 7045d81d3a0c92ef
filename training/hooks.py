"""What other apps do when an attempt is finished and graded, without training knowing them.

An app registers a function in its AppConfig.ready (the LTI app sends the score back to the
course's grade book); `finish_attempt` calls each one inside its transaction, once per attempt,
so what they record commits or rolls back with the grade."""

from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .models import Attempt

Hook = Callable[["Attempt"], None]
_FINISHED: list[Hook] = []


def on_attempt_finished(hook: Hook) -> Hook:
    if hook not in _FINISHED:
        _FINISHED.append(hook)
    return hook


def attempt_finished(attempt: "Attempt") -> None:
    for hook in _FINISHED:
        hook(attempt)
