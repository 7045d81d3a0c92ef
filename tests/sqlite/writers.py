"""Concurrent writers on a real SQLite file, the way `make run` runs (RULEBOOK §9, issue 8 item 1).

Simultaneous POSTs from threads (each thread has its own connection, as the web server's
threads and the worker do) while another thread keeps writing the way the export worker does.
Per burst: the status codes answered and the errors raised. Run by tests/sqlite/run.py.
"""

import sys
import threading
import traceback


def burst(make_request, count: int, *, background=None) -> dict:
    """`count` threads wait at one barrier, then each sends one request at the same instant."""
    from django.db import connection

    barrier = threading.Barrier(count + (1 if background else 0))
    codes: list[int] = []
    errors: list[str] = []

    def one(index: int) -> None:
        try:
            barrier.wait()
            codes.append(make_request(index).status_code)
        except Exception as exc:  # what the trainee would see as a server error
            errors.append(f"{type(exc).__name__}: {exc}")
            traceback.print_exc(file=sys.stderr)
        finally:
            connection.close()

    def writer() -> None:
        try:
            barrier.wait()
            background()
        except Exception as exc:
            errors.append(f"background {type(exc).__name__}: {exc}")
            traceback.print_exc(file=sys.stderr)
        finally:
            connection.close()

    threads = [threading.Thread(target=one, args=(i,)) for i in range(count)]
    if background:
        threads.append(threading.Thread(target=writer))
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return {"codes": sorted(codes), "errors": errors}


def writers(world, client_for) -> dict:
    """Three simultaneous export requests while the worker builds, two simultaneous
    wrong-password deletion requests, five simultaneous clock moves."""
    from django.db import connection
    from django.urls import reverse

    from lifecycle.services.clock import clock_reading

    sid = world.sandbox.pk
    clients = [client_for() for _ in range(5)]
    result = {}
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA journal_mode")
        result["journal_mode"] = cursor.fetchone()[0]

    def worker_writes() -> None:
        """What the worker does while the trainee clicks: build every export that is queued."""
        from lifecycle.exporting import build_export
        from lifecycle.models import ExportJob, ExportStatus

        for _ in range(50):
            for pk in ExportJob.objects.filter(status=ExportStatus.QUEUED).values_list("pk"):
                build_export(pk[0])

    result["exports"] = burst(
        lambda i: clients[i].post(reverse("request_export", args=[sid])),
        3,
        background=worker_writes,
    )
    result["wrong_password"] = burst(
        lambda i: clients[i].post(
            reverse("request_deletion", args=[sid]), {"password": "wrong", "acknowledged": "on"}
        ),
        2,
    )
    # Five clicks on one page: each names the reading the page showed (one moves the clock).
    reading = clock_reading(type(world.sandbox).objects.get(pk=sid).clock_offset)
    result["clock"] = burst(
        lambda i: clients[i].post(
            reverse("advance_clock", args=[sid]), {"by": "1d", "reading": reading}
        ),
        5,
    )
    return result
