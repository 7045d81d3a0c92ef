"""Locust's simulated trainees for bench/cohort.py: each plays the close-account flow in its own
sandbox, signed in with the session bench/cohort.py made for it (the file in BENCH_TRAINEES).

The flow: the close page, the deletion request (password and acknowledgement), the "check your
inbox" page, then cancelling the request from the banner, so the next round starts over.
Run by bench/cohort.py only (`locust --headless -f bench/locustfile.py ...`).
"""

import itertools
import json
import os

from locust import HttpUser, between, task

with open(os.environ["BENCH_TRAINEES"]) as handle:
    TRAINEES = json.load(handle)
NEXT = itertools.count()


class Trainee(HttpUser):
    wait_time = between(0.5, 1.5)

    def on_start(self) -> None:
        me = TRAINEES[next(NEXT) % len(TRAINEES)]
        self.sandbox, self.password, self.csrf = me["sandbox"], me["password"], me["csrf"]
        self.client.cookies.set("sessionid", me["session"])
        self.client.cookies.set("csrftoken", self.csrf)

    def post(self, path: str, name: str, **data: str) -> None:
        form = {"csrfmiddlewaretoken": self.csrf, **data}
        with self.client.post(
            path, data=form, name=name, allow_redirects=False, catch_response=True
        ) as answer:
            if answer.status_code != 302:
                answer.failure(f"{name} answered {answer.status_code}, not a redirect")

    @task
    def close_the_account_and_change_my_mind(self) -> None:
        base = f"/s/{self.sandbox}/close/"
        self.client.get(base, name="close page")
        self.post(base + "request/", "request deletion", password=self.password, acknowledged="on")
        self.client.get(base + "requested/", name="check your inbox")
        self.post(base + "cancel/", "cancel the request")
