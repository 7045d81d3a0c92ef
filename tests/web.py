"""Helpers for the Seller Center view tests: small demo sandboxes and a query counter."""

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from lifecycle.demo import DemoSizes, build_demo_sandbox


def demo(owner, *, name="Practice", rows=10, **sizes):
    """A demo sandbox with `rows` products, customers and orders (unless sizes say otherwise)."""
    sizes = {"products": rows, "customers": rows, "orders": rows, **sizes}
    return build_demo_sandbox(owner=owner, name=name, sizes=DemoSizes(**sizes))


def ready_export(sandbox):
    """A finished export of the sandbox's account, downloadable for a week of sandbox time."""
    from datetime import timedelta

    from lifecycle.models import ExportJob
    from tests.engine_guard import arranging

    now = sandbox.now()
    taken = ExportJob.objects.filter(account__sandbox=sandbox).count()
    with arranging():  # set-up: a finished export, without running the builder
        return ExportJob.objects.create(
            account=sandbox.account,
            number=taken + 1,
            status="ready",
            progress=100,
            requested_at=now,
            ready_at=now,
            expires_at=now + timedelta(days=7),
            size_bytes=2048,
        )


def url(name, sandbox, *args, query=""):
    return reverse(name, args=[sandbox.pk, *args]) + (f"?{query}" if query else "")


def clock_form(sandbox, by: str, **extra: str) -> dict[str, str]:
    """What the clock's buttons post: the step and the reading the page showed."""
    from accounts.models import Sandbox
    from lifecycle.services.clock import clock_reading

    offset = Sandbox.objects.get(pk=sandbox.pk).clock_offset
    return {"by": by, "reading": clock_reading(offset), **extra}


def count_queries(client, address) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(address)
    assert response.status_code == 200, address
    return len(ctx.captured_queries)


def shown(response, sentence: str) -> bool:
    """Is the sentence on the page (as Django escapes it)?"""
    from django.utils.html import escape

    return escape(sentence) in response.content.decode()


def page_checks(pages, *, fill=None):
    """The tests every Seller Center page must pass, for a module's list of URL names.

    Another trainee gets 404, an anonymous visitor goes to sign in, and the number of queries
    is the same with 10 and with 200 rows. The module provides `sandbox` and `signed_in`.
    `fill(sandbox, rows)` adds the rows a page lists beyond the demo's own.
    """
    import pytest

    @pytest.mark.parametrize("name", pages)
    def test_page_of_another_trainee_is_404(client, other_trainee, sandbox, name):
        client.force_login(other_trainee)
        assert client.get(url(name, sandbox)).status_code == 404

    @pytest.mark.parametrize("name", pages)
    def test_anonymous_is_sent_to_login(client, sandbox, name):
        response = client.get(url(name, sandbox))
        assert response.status_code == 302 and response["Location"].startswith("/login/")

    @pytest.mark.parametrize("name", pages)
    def test_page_queries_do_not_grow_with_rows(signed_in, trainee, name):
        small = demo(trainee, name="Small", rows=10)
        large = demo(trainee, name="Large", rows=200)
        if fill is not None:
            fill(small, 10)
            fill(large, 200)
        small_count = count_queries(signed_in, url(name, small))
        assert small_count == count_queries(signed_in, url(name, large))

    return (
        test_page_of_another_trainee_is_404,
        test_anonymous_is_sent_to_login,
        test_page_queries_do_not_grow_with_rows,
    )
