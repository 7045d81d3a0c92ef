"""The timeline's words for checkpoints and restores."""

from django.db import models


class RewindAction(models.TextChoices):
    SAVE_CHECKPOINT = "save_checkpoint", "Save a checkpoint"
    RESTORE_CHECKPOINT = "restore_checkpoint", "Restore a checkpoint"
    RESTORED_FROM = "restored_from", "Restored from a checkpoint"
    DROP_CHECKPOINT = "drop_checkpoint", "Drop a checkpoint"
