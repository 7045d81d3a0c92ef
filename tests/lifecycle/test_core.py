"""What every service shares: actors, errors and the refusal record."""

from lifecycle.errors import Code, LifecycleError
from lifecycle.services import Actor


def test_actor_labels(trainee):
    assert Actor.trainee(trainee).label == "trainee"
    assert Actor.job("sweep").label == "job: sweep"


def test_a_lifecycle_error_reads_as_its_sentence():
    err = LifecycleError(Code.NOT_DUE, "Not yet.", when="later")
    assert str(err) == "Not yet." and err.details == {"when": "later"}
