"""Locust's reference for bench/cohort.py: the same simulated users on the trivial view."""

from locust import HttpUser, between, task


class Visitor(HttpUser):
    wait_time = between(0.5, 1.5)

    @task
    def trivial(self) -> None:
        self.client.get("/__bench__/ok", name="trivial view")
