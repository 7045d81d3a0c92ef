"""pylti1p3's refusals, as the library words them, map to the page's problem."""

import pytest

from lti.problems import Problem, from_library


@pytest.mark.parametrize(
    ("message", "problem"),
    [
        ("Could not find registration details", Problem.UNKNOWN_PLATFORM),
        ("Client id not registered for this issuer", Problem.UNKNOWN_PLATFORM),
        ("Unable to find deployment", Problem.UNKNOWN_DEPLOYMENT),
        ("Can't decode id_token: Signature has expired", Problem.EXPIRED),
        ("Can't decode id_token: Signature verification failed", Problem.BAD_SIGNATURE),
        ("Unable to find public key", Problem.BAD_SIGNATURE),
        ("Invalid Nonce", Problem.REPLAYED),
        ("State not found", Problem.NO_STATE),
        ("Missing %s cookie lti1p3-session-id", Problem.NO_STATE),
        ("Must have a user (sub)", Problem.MISSING_CLAIM),
        ("Unrecognized message type", Problem.UNSUPPORTED),
        ("something nobody foresaw", Problem.UNREADABLE),
    ],
)
def test_each_library_refusal_has_its_problem(message, problem):
    assert from_library(message).problem == problem
