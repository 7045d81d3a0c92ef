"""Why a launch was refused, in words, and whom to ask: one place for every refusal's page.

pylti1p3 raises one exception type with an English message per check; `from_library` turns
those messages into our codes (the library offers nothing finer)."""

from dataclasses import dataclass
from enum import StrEnum


class Problem(StrEnum):
    UNKNOWN_PLATFORM = "unknown_platform"
    UNKNOWN_DEPLOYMENT = "unknown_deployment"
    BAD_SIGNATURE = "bad_signature"
    EXPIRED = "expired"
    REPLAYED = "replayed"
    NO_STATE = "no_state"
    MISSING_CLAIM = "missing_claim"
    NO_SCENARIO = "no_scenario"
    SCENARIO_GONE = "scenario_gone"
    NOT_SET_UP = "not_set_up"
    NOT_FOR_LEARNERS = "not_for_learners"
    UNSUPPORTED = "unsupported"
    UNREADABLE = "unreadable"
    NO_KEY = "no_key"


SUPPORT = "the simulator's support staff (who register learning platforms)"
PLATFORM_ADMIN = "your learning platform's administrator"
INSTRUCTOR = "your instructor"
AGAIN = "Go back to your course and open the activity again"

# What is wrong, and whom to ask (or what to do).
WORDS: dict[Problem, tuple[str, str]] = {
    Problem.UNKNOWN_PLATFORM: (
        "This learning platform is not registered with the simulator (its issuer and client ID "
        "are unknown here, or its registration is switched off).",
        f"Ask {SUPPORT} to register it, or {PLATFORM_ADMIN} to check the tool's settings.",
    ),
    Problem.UNKNOWN_DEPLOYMENT: (
        "This deployment of the tool is not registered with the simulator, or is not switched on.",
        f"Ask {SUPPORT} to add the deployment ID to the platform's registration.",
    ),
    Problem.BAD_SIGNATURE: (
        "The launch's signature does not match the keys the learning platform publishes, so "
        "it cannot be trusted.",
        f"Ask {PLATFORM_ADMIN} to check the key set URL registered with the simulator.",
    ),
    Problem.EXPIRED: (
        "This launch has expired: it was made too long ago.",
        f"{AGAIN}.",
    ),
    Problem.REPLAYED: (
        "This launch was used already: each launch opens the simulator once.",
        f"{AGAIN}.",
    ),
    Problem.NO_STATE: (
        "This launch does not match a sign-in step started in this browser (its cookie is "
        "missing, often because the activity opened inside a frame).",
        f"{AGAIN}, in a new window if your platform offers it.",
    ),
    Problem.MISSING_CLAIM: (
        "The launch is missing information the simulator needs: {detail}.",
        f"Ask {PLATFORM_ADMIN} to check what the platform sends to this tool.",
    ),
    Problem.NO_SCENARIO: (
        "This link does not say which scenario to open.",
        f"Ask {INSTRUCTOR} to add the activity again by picking a scenario from the catalogue.",
    ),
    Problem.SCENARIO_GONE: (
        "The scenario this link opens (“{detail}”) no longer exists in the simulator.",
        f"Ask {INSTRUCTOR} to pick another scenario for this activity.",
    ),
    Problem.NOT_SET_UP: (
        "This activity is not ready yet: its course has no cohort in the simulator until an "
        "instructor of the course opens it once.",
        f"Ask {INSTRUCTOR} to open the activity from the course, then try again.",
    ),
    Problem.NOT_FOR_LEARNERS: (
        "This scenario is for support staff, not for a course's learners.",
        f"Ask {INSTRUCTOR} to pick one of the sellers' scenarios.",
    ),
    Problem.UNSUPPORTED: (
        "The simulator does not handle this kind of launch ({detail}).",
        f"Ask {PLATFORM_ADMIN} to use a resource link or deep linking.",
    ),
    Problem.UNREADABLE: (
        "The launch could not be read: {detail}.",
        f"{AGAIN}; if it happens again, tell {PLATFORM_ADMIN}.",
    ),
    Problem.NO_KEY: (
        "The simulator has no signing key yet, so it cannot answer a learning platform.",
        f"Ask {SUPPORT} to make one (manage.py rotate_keys).",
    ),
}


class LaunchRefused(Exception):
    def __init__(self, problem: Problem, detail: str = "") -> None:
        super().__init__(problem.value)
        self.problem = problem
        self.detail = detail


@dataclass(frozen=True)
class Refusal:
    problem: Problem
    what: str
    who: str


def words(refused: LaunchRefused) -> Refusal:
    what, who = WORDS[refused.problem]
    return Refusal(refused.problem, what.format(detail=refused.detail), who)


# pylti1p3's messages (lower-cased fragments) and what each means here, first match wins.
_LIBRARY = [
    ("could not find registration", Problem.UNKNOWN_PLATFORM, ""),
    ("registration not found", Problem.UNKNOWN_PLATFORM, ""),
    ("client id not registered", Problem.UNKNOWN_PLATFORM, ""),
    ("could not find issuer", Problem.MISSING_CLAIM, "the issuer (iss)"),
    ("could not find login hint", Problem.MISSING_CLAIM, "the login hint"),
    ("unable to find deployment", Problem.UNKNOWN_DEPLOYMENT, ""),
    ("deployment_id is not set", Problem.MISSING_CLAIM, "the deployment ID"),
    ("signature has expired", Problem.EXPIRED, ""),
    ("signature verification failed", Problem.BAD_SIGNATURE, ""),
    ("unable to find public key", Problem.BAD_SIGNATURE, ""),
    ("kid not found", Problem.BAD_SIGNATURE, ""),
    ("can't decode id_token", Problem.BAD_SIGNATURE, ""),
    ("invalid nonce", Problem.REPLAYED, ""),
    ('"nonce" is empty', Problem.MISSING_CLAIM, "the nonce"),
    ("state not found", Problem.NO_STATE, ""),
    ("cookie", Problem.NO_STATE, ""),
    ("missing state", Problem.NO_STATE, ""),
    ("must have a user", Problem.MISSING_CLAIM, "the user (sub)"),
    ("missing roles", Problem.MISSING_CLAIM, "the user's roles"),
    ("missing resource link", Problem.MISSING_CLAIM, "the resource link"),
    ("incorrect version", Problem.MISSING_CLAIM, "the LTI version 1.3.0"),
    ('"iss" is empty', Problem.MISSING_CLAIM, "the issuer (iss)"),
    ("missing id_token", Problem.MISSING_CLAIM, "the id_token"),
    ("unrecognized message type", Problem.UNSUPPORTED, "an unknown message type"),
    ("invalid message type", Problem.MISSING_CLAIM, "the message type"),
]


def from_library(message: str) -> LaunchRefused:
    text = message.lower()
    for fragment, problem, detail in _LIBRARY:
        if fragment in text:
            return LaunchRefused(problem, detail)
    return LaunchRefused(Problem.UNREADABLE, "the platform's message did not pass its checks")
