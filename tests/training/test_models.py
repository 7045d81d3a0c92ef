"""The Attempt row: its grade's bounds and the two durations it reports."""

from datetime import timedelta

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts.models import Sandbox
from training.models import Attempt

pytestmark = pytest.mark.django_db


def test_a_finished_attempt_has_a_score_within_0_and_100_and_a_verdict(trainee):
    attempt = Attempt.objects.create(trainee=trainee, scenario_slug="unlink-safely")
    assert attempt.is_open and attempt.real_duration is None and attempt.sandbox_duration is None
    with transaction.atomic(), pytest.raises(IntegrityError):
        Attempt.objects.filter(pk=attempt.pk).update(finished_at=timezone.now())
    with transaction.atomic(), pytest.raises(IntegrityError):
        Attempt.objects.filter(pk=attempt.pk).update(score=101)
    Attempt.objects.filter(pk=attempt.pk).update(finished_at=timezone.now(), score=80, passed=True)
    attempt.refresh_from_db()
    assert not attempt.is_open and attempt.real_duration >= timedelta(0)


def test_durations_read_real_time_and_the_sandbox_clock(trainee):
    sandbox = Sandbox.objects.create(owner=trainee, name="Practice")
    start = timezone.now()
    attempt = Attempt.objects.create(
        trainee=trainee,
        scenario_slug="unlink-safely",
        sandbox=sandbox,
        sandbox_started_at=start,
        sandbox_finished_at=start + timedelta(days=30, hours=2),
    )
    assert attempt.sandbox_duration == timedelta(days=30, hours=2)
    assert list(trainee.attempts.all()) == [attempt]
    sandbox.delete()  # the attempt outlives its sandbox
    attempt.refresh_from_db()
    assert attempt.sandbox_id is None and str(attempt) == f"Attempt #{attempt.pk} at unlink-safely"
