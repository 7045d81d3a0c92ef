"""Locust's live class for bench/capacity.py: trainees and their trainer, as a class plays.

Each trainee signs in once through the sign-in form (its password hashed by the server, as in
class), then every 5-10 s opens a page and about one turn in four (an action every ~30 s)
takes the next step of a scenario played start to finish: start it (a fresh sandbox),
take a hint, deactivate the account (the scenario's solution), finish it. The trainer signs
in too and refreshes the cohort's grid every 5-10 s. What the class is given comes from the
JSON file in BENCH_CLASS (written by bench/capacity.py).

Requests are sorted into three groups as they finish, written to the class file's
`results` path when locust quits: the sign-ins, what the class did while people were still
signing in, and the class at work once everyone had signed in (the figure that is judged).
"""

import itertools
import json
import os
import random
import re
import time

from locust import HttpUser, between, events, task

with open(os.environ["BENCH_CLASS"]) as handle:
    CLASS = json.load(handle)
NEXT = itertools.count()
SIGNED_IN: set[str] = set()
TIMES: dict[str, list[float]] = {"sign-in": [], "burst": [], "class": []}
FAILED: dict[str, dict[str, int]] = {"sign-in": {}, "burst": {}, "class": {}}
CLOCK: dict[str, float] = {}
NAMES: dict[str, int] = {}
BY_NAME: dict[str, list[float]] = {}  # the class at work's times, by request
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
ATTEMPT = re.compile(r"/training/attempts/(\d+)/")
SANDBOX = re.compile(r'href="/s/(\d+)/"')
SIGN_IN = "sign in"


@events.request.add_listener
def sort_request(name: str, response_time: float, exception: Exception | None, **_) -> None:
    if name == SIGN_IN:
        group = "sign-in"
    elif len(SIGNED_IN) < CLASS["expected"]:
        group = "burst"
    else:
        group = "class"
        CLOCK.setdefault("class_started", time.monotonic())
    NAMES[name] = NAMES.get(name, 0) + 1
    if exception is None:
        TIMES[group].append(response_time)
        if group == "class":
            BY_NAME.setdefault(name, []).append(response_time)
    else:
        FAILED[group][name] = FAILED[group].get(name, 0) + 1


@events.quitting.add_listener
def write_results(**_) -> None:
    CLOCK["ended"] = time.monotonic()
    seconds = CLOCK["ended"] - CLOCK.get("class_started", CLOCK["ended"])
    summary: dict = {"signed_in": len(SIGNED_IN), "class_seconds": round(seconds, 1)}
    summary["by_name"] = NAMES
    summary["p95_by_name"] = {name: _percentile(sorted(t), 95) for name, t in BY_NAME.items()}
    for group, times in TIMES.items():
        times.sort()
        summary[group] = {
            "requests": len(times),
            "failures": FAILED[group],
            **{f"p{q}": _percentile(times, q) for q in (50, 95, 99)},
            "max": times[-1] if times else 0.0,
        }
    with open(CLASS["results"], "w") as handle:
        json.dump(summary, handle)


def _percentile(ordered: list[float], q: int) -> float:
    if not ordered:
        return 0.0
    return ordered[min(len(ordered) - 1, int(len(ordered) * q / 100))]


class Person(HttpUser):
    abstract = True
    wait_time = between(5, 10)
    username = ""

    def on_start(self) -> None:
        page = self.client.get("/login/", name="sign-in page")
        self.csrf = self._token(page.text)
        with self.client.post(
            "/login/",
            data={
                "csrfmiddlewaretoken": self.csrf,
                "username": self.username,
                "password": CLASS["password"],
            },
            headers={"Referer": f"{self.host}/login/"},
            name=SIGN_IN,
            allow_redirects=False,
            catch_response=True,
        ) as answer:
            if answer.status_code != 302:
                answer.failure(f"sign-in answered {answer.status_code}, not a redirect")
                return
        self.csrf = self.client.cookies.get("csrftoken", self.csrf)
        SIGNED_IN.add(self.username)

    def _token(self, text: str) -> str:
        found = CSRF.search(text)
        return found.group(1) if found else self.client.cookies.get("csrftoken", "")

    def get(self, path: str, name: str) -> str:
        with self.client.get(path, name=name, catch_response=True) as answer:
            if answer.status_code != 200 or "/login/" in answer.url:
                answer.failure(f"{name} answered {answer.status_code} at {answer.url}")
            return answer.text

    def post(self, path: str, name: str, **data: str) -> str:
        """The form posted (no redirect followed): where it sends the trainee."""
        with self.client.post(
            path,
            data={"csrfmiddlewaretoken": self.csrf, **data},
            headers={"Referer": f"{self.host}{path}"},
            name=name,
            allow_redirects=False,
            catch_response=True,
        ) as answer:
            if answer.status_code != 302:
                answer.failure(f"{name} answered {answer.status_code}, not a redirect")
            return answer.headers.get("Location", "")


class Trainee(Person):
    weight = 100

    def on_start(self) -> None:
        self.username = CLASS["trainees"][next(NEXT) % len(CLASS["trainees"])]
        self.attempt = self.sandbox = ""
        self.step = 0
        super().on_start()

    @task
    def turn(self) -> None:
        if random.random() < 0.25:  # noqa: S311 (a simulated click, not a secret)
            self.act()
        else:
            self.page()

    def page(self) -> None:
        if not self.attempt:
            self.get("/training/", "scenario list")
            return
        base = f"/s/{self.sandbox}/"
        path, name = random.choice(  # noqa: S311 (a simulated click)
            [
                (f"/training/attempts/{self.attempt}/", "scenario page"),
                (base, "dashboard"),
                (base + "orders/", "orders"),
                (base + "products/", "products"),
                (base + "customers/", "customers"),
                (base + "settings/close-or-pause/", "close or pause"),
                (base + "timeline/", "timeline"),
            ]
        )
        self.get(path, name)

    def act(self) -> None:
        """The scenario's next step: start, hint, the solution, finish; then over again."""
        step, self.step = self.step, (self.step + 1) % 4
        if step == 0:
            found = ATTEMPT.search(self.post(f"/training/{CLASS['scenario']}/start/", "start"))
            self.attempt = found.group(1) if found else ""
            page = self.get(f"/training/attempts/{self.attempt}/", "scenario page")
            sandbox = SANDBOX.search(page)
            self.sandbox = sandbox.group(1) if sandbox else ""
            if not (self.attempt and self.sandbox):
                self.step = 0
        elif step == 1:
            self.post(f"/training/attempts/{self.attempt}/hint/", "hint")
        elif step == 2:
            self.post(f"/s/{self.sandbox}/settings/deactivate/", "deactivate")
        else:
            self.post(f"/training/attempts/{self.attempt}/finish/", "finish")
            self.get(f"/training/attempts/{self.attempt}/result/", "result")
            self.attempt = self.sandbox = ""


class Trainer(Person):
    fixed_count = 1

    def on_start(self) -> None:
        self.username = CLASS["trainer"]
        super().on_start()

    @task
    def refresh_the_grid(self) -> None:
        self.get(f"/trainer/cohorts/{CLASS['cohort']}/progress/", "trainer's grid")
