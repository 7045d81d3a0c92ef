"""The training pages are valid HTML by the Nu HTML checker, the panel beside a page included."""

import pytest
from django.urls import reverse

from shops.models import Shop
from tests.test_html_validity import check
from training.models import Attempt

pytestmark = pytest.mark.django_db


def test_training_pages_are_valid_html(client, trainee, tmp_path):
    client.force_login(trainee)
    client.post(reverse("scenario_start", args=["unlink-safely"]))
    attempt = Attempt.objects.get()
    client.post(reverse("attempt_hint", args=[attempt.pk]))
    popup = Shop.objects.get(sandbox=attempt.sandbox, name="Juniper Pop-up")
    client.post(reverse("unlink_shop", args=[attempt.sandbox_id, popup.pk]), {"confirmed": "1"})
    pages = {
        "training": client.get(reverse("training")).content.decode(),
        "attempt": client.get(reverse("attempt", args=[attempt.pk])).content.decode(),
        "dashboard-with-checklist": client.get(
            reverse("dashboard", args=[attempt.sandbox_id])
        ).content.decode(),
    }
    client.post(reverse("attempt_finish", args=[attempt.pk]))
    pages["result-failed"] = client.get(
        reverse("attempt_result", args=[attempt.pk])
    ).content.decode()
    assert 'data-testid="objectives"' in pages["dashboard-with-checklist"]
    assert 'data-testid="reference-steps"' in pages["result-failed"]
    errors = check(pages, tmp_path)
    assert not errors, f"The Nu HTML checker found errors:\n{errors}"
