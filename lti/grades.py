"""Scores sent back to the course's grade book (LTI Assignment and Grade Services).

When an attempt launched from a course link is finished and graded (`training.hooks`), its score
(0-100, pass or fail, the missed objectives in words) is queued for the link's line item: a
ScoreSend row, then a background job (`Job.SEND_SCORE`). A later attempt replaces the score in
the grade book only when it is better; a worse one is recorded as kept, not sent. A failed
send keeps the platform's answer and is retried by the sweep, waiting longer each time, up to
MAX_TRIES."""

import logging
from datetime import timedelta
from typing import Any, Final

import requests
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from pylti1p3.assignments_grades import AssignmentsGradesService
from pylti1p3.exception import LtiException
from pylti1p3.grade import Grade
from pylti1p3.service_connector import ServiceConnector

from lifecycle.jobs import Job, enqueue
from training.models import Attempt

from .models import AttemptLink, ScoreSend, SendState

log = logging.getLogger(__name__)

SCORE_SCOPE: Final = "https://purl.imsglobal.org/spec/lti-ags/scope/score"
SCORE_MAXIMUM = 100
MAX_TRIES = 6
FIRST_RETRY_AFTER = timedelta(minutes=1)  # doubled after each failed try
LOST_AFTER = timedelta(minutes=5)  # a queued send not tried by then lost its message
TIMEOUT = 10  # seconds per request to the platform


def link_of(attempt: Attempt) -> AttemptLink | None:
    """The course link the attempt answers: its own launch's, or (an attempt restarted here)
    the latest link its trainee came from to the same scenario in the same cohort."""
    return (
        AttemptLink.objects.filter(
            Q(attempt=attempt)
            | Q(
                attempt__trainee_id=attempt.trainee_id,
                attempt__scenario_slug=attempt.scenario_slug,
                attempt__cohort_id=attempt.cohort_id,
            )
        )
        .select_related("lti_user")
        .order_by("-created_at", "-id")
        .first()
    )


def comment_for(attempt: Attempt) -> str:
    """The grade book's comment: pass or fail, and each missed objective with its lesson."""
    verdict = "Passed" if attempt.passed else "Not passed"
    lines = [f"{verdict}: {attempt.score}/{SCORE_MAXIMUM}."]
    for why in (attempt.feedback or {}).get("failed_because", []):
        lines.append(str(why))
    for item in (attempt.result or {}).values():
        if item.get("met"):
            continue
        if item.get("kind") == "forbidden":
            lines.append(f"Did what should not be done: {item['title']}. {item.get('lesson', '')}")
        else:
            lines.append(f"Missed: {item['title']}. {item.get('lesson', '')}")
    return "\n".join(line.strip() for line in lines)


def attempt_finished(attempt: Attempt) -> None:
    """The hook of `training.hooks`: queue the score for the course's grade book."""
    link = link_of(attempt)
    if link is None or not link.lineitem_url or attempt.score is None:
        return
    earlier = ScoreSend.objects.select_for_update().filter(
        lineitem_url=link.lineitem_url, lti_user=link.lti_user
    )
    better = earlier.exclude(state=SendState.KEPT).filter(score__gte=attempt.score).first()
    send = ScoreSend.objects.create(
        attempt=attempt,
        link=link,
        lineitem_url=link.lineitem_url,
        lti_user=link.lti_user,
        score=attempt.score,
        passed=bool(attempt.passed),
        comment=comment_for(attempt),
        state=SendState.KEPT if better else SendState.QUEUED,
        answer=f"Attempt #{better.attempt_id} scored {better.score}." if better else "",
    )
    if better is None:
        # A worse score still waiting must not overwrite this one when it is retried.
        earlier.filter(state__in=[SendState.QUEUED, SendState.FAILED]).exclude(pk=send.pk).update(
            state=SendState.KEPT, answer=f"Replaced by attempt #{attempt.pk}, scored higher."
        )
        enqueue(Job.SEND_SCORE, send.pk)


class TimeoutSession(requests.Session):
    """pylti1p3 sets no timeout: a platform that does not answer must not hold a worker."""

    def request(self, *args: Any, **kwargs: Any) -> requests.Response:
        kwargs.setdefault("timeout", TIMEOUT)
        return super().request(*args, **kwargs)


def _post(send: ScoreSend) -> str:
    registration = send.lti_user.registration.to_registration()
    connector = ServiceConnector(registration, requests_session=TimeoutSession())
    service = AssignmentsGradesService(
        connector, {"scope": [SCORE_SCOPE], "lineitem": send.lineitem_url}
    )
    finished = send.attempt.finished_at or timezone.now()
    grade = (
        Grade()
        .set_score_given(send.score)
        .set_score_maximum(SCORE_MAXIMUM)
        .set_timestamp(finished.isoformat())
        .set_activity_progress("Completed")
        .set_grading_progress("FullyGraded")
        .set_user_id(send.lti_user.sub)
        .set_comment(send.comment)
    )
    response = service.put_grade(grade)
    return f"Accepted: {str(response.get('body') or '')[:500]}".strip()


def send_score(send_id: int) -> str:
    """Send one score (the job's body); a send already done or replaced changes nothing."""
    with transaction.atomic():
        send = (
            ScoreSend.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related("attempt", "lti_user__registration")
            .filter(pk=send_id, state__in=[SendState.QUEUED, SendState.FAILED])
            .first()
        )
        if send is None:
            return "nothing to send"
        now = timezone.now()
        send.tries += 1
        send.last_try_at = now
        try:
            send.answer = _post(send)
        except (LtiException, requests.RequestException, KeyError) as err:
            # KeyError: pylti1p3 reads the token answer's "access_token" without a check, so a
            # platform answering without one would roll the try back and leave it queued.
            send.answer = (
                f"The platform's answer had no {err}" if isinstance(err, KeyError) else str(err)
            )[:2000]
            send.state = SendState.FAILED if send.tries < MAX_TRIES else SendState.GAVE_UP
            log.warning("score %s not sent (try %s): %s", send.pk, send.tries, send.answer[:200])
        else:
            send.state, send.sent_at = SendState.SENT, now
        send.save(update_fields=["tries", "last_try_at", "answer", "state", "sent_at"])
        return send.state


def due_for_retry(now=None) -> list[int]:
    """Failed sends whose wait is over, and queued ones whose message was lost."""
    now = now or timezone.now()
    due = []
    for send in ScoreSend.objects.filter(state__in=[SendState.QUEUED, SendState.FAILED]):
        if send.state == SendState.QUEUED:
            if send.last_try_at is None and send.queued_at <= now - LOST_AFTER:
                due.append(send.pk)
        elif send.last_try_at and send.last_try_at <= now - retry_wait(send.tries):
            due.append(send.pk)
    return due


def retry_wait(tries: int) -> timedelta:
    return FIRST_RETRY_AFTER * (2 ** max(tries - 1, 0))


def resend_due() -> int:
    """The sweep's part: queue again every send that is due for another try."""
    due = due_for_retry()
    for send_id in due:
        enqueue(Job.SEND_SCORE, send_id)
    return len(due)
