"""The training layer's own timeline actions, registered with the lifecycle's vocabulary
(`lifecycle.actions.register`, in `TrainingConfig.ready`): no lifecycle migration for them.

They are written on the attempt's sandbox (`training.play`) and are not part of what grading
reads (`training.observe` leaves them out): grading reads what the trainee did in the sandbox.
"""

from django.db import models


class TrainingAction(models.TextChoices):
    START_ATTEMPT = "start_attempt", "Start training attempt"
    TAKE_HINT = "take_hint", "Take a hint"
    FINISH_ATTEMPT = "finish_attempt", "Finish and grade attempt"
    RESTART_ATTEMPT = "restart_attempt", "Restart training attempt"
    # A new attempt from the old one's sandbox as it was before one of its steps (rewind).
    REWIND_ATTEMPT = "rewind_attempt", "Rewind training attempt"


# The attempt's states on the timeline.
OPEN, FINISHED = "open", "finished"
