"""Build a large account, export it, print the export's peak memory and time. Run by hand:

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench .venv/bin/python bench/export_memory.py \
        --orders 100000

It creates (and at the end drops) a sandbox named "bench-<pid>" in the configured database.
Peak memory is the Python heap's high-water mark during the export (tracemalloc), beside the
process's maximum resident size; a flat export shows a heap peak that does not grow with --orders.
"""

import argparse
import os
import resource
import sys
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")

import django  # noqa: E402

django.setup()

from django.core.files.storage import default_storage  # noqa: E402

from accounts.models import User  # noqa: E402
from lifecycle.demo import DemoSizes, build_demo_sandbox  # noqa: E402
from lifecycle.exporting import build_export  # noqa: E402
from lifecycle.services import Actor, request_export  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--orders", type=int, default=20000)
    parser.add_argument("--customers", type=int, default=5000)
    parser.add_argument("--products", type=int, default=500)
    args = parser.parse_args()

    name = f"bench-{os.getpid()}"
    owner = User.objects.create_user(name, f"{name}@example.com", "bench-pass-9")
    started = time.perf_counter()
    sizes = DemoSizes(
        products=args.products, customers=args.customers, orders=args.orders, inquiries=200
    )
    account = build_demo_sandbox(owner=owner, name=name, sizes=sizes).account
    print(f"built {args.orders} orders in {time.perf_counter() - started:.1f}s")
    try:
        job = request_export(actor=Actor.trainee(owner), account=account)
        tracemalloc.start()
        started = time.perf_counter()
        job = build_export(job.pk)
        elapsed = time.perf_counter() - started
        _current, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        size = job.size_bytes / 1e6
        print(f"export #{job.pk}: {job.status}, {size:.1f} MB, rows {job.manifest['rows']}")
        print(f"time {elapsed:.1f}s, Python heap peak {peak / 1e6:.1f} MB, max RSS {rss:.0f} MB")
        default_storage.delete(job.file.name)
    finally:
        owner.delete()


if __name__ == "__main__":
    main()
