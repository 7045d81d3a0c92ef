from django.apps import AppConfig


class TrainingConfig(AppConfig):
    """Scenarios, attempts, grading and cohorts: the training layer over the lifecycle rules."""

    name = "training"
    verbose_name = "Training: scenarios, attempts and cohorts"
