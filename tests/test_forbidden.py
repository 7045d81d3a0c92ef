"""A refused page (403): the simulator's own styled page, saying why, and one log line without a
traceback (each 403 printed a full traceback in make run's log, and the page was Django's bare
135-byte one while a 404 got the styled page)."""

import logging

import pytest
from django.urls import reverse


@pytest.mark.django_db
def test_a_trainee_on_a_trainer_page_gets_the_styled_403_and_one_quiet_log_line(
    client, trainee, caplog
):
    client.force_login(trainee)
    with caplog.at_level(logging.WARNING, logger="django.request"):
        response = client.get(reverse("trainer_cohort_list"))
    assert response.status_code == 403
    page = response.content.decode()
    assert "Not for you" in page and "These pages are for trainers." in page
    assert 'href="/"' in page and "seller.css" in page  # the site's own layout
    forbidden = [r for r in caplog.records if r.name == "django.request"]
    assert [r.getMessage() for r in forbidden] == [
        f"Forbidden (Permission denied): {reverse('trainer_cohort_list')}"
    ]
    assert forbidden[0].exc_info is None
    assert "Traceback" not in caplog.text


@pytest.mark.django_db
def test_other_errors_keep_their_traceback(caplog):
    """Only the 403 is quieted: a 500's traceback is what an operator needs."""
    logger = logging.getLogger("django.request")
    with caplog.at_level(logging.ERROR, logger="django.request"):
        try:
            raise RuntimeError("a defect")
        except RuntimeError:
            logger.error("Internal Server Error: /x/", exc_info=True, extra={"status_code": 500})
    assert caplog.records[-1].exc_info is not None
