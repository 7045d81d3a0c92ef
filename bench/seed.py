"""`seed_demo --trainees N` timed, with the password hashes it computes counted (Markdown).

    .venv/bin/python bench/seed.py --trainees 200            # bench/run_all.py runs it
    .venv/bin/python bench/seed.py --trainees 20 --profile   # and cProfile's top functions

Runs the command in this process (the bench settings: production's PBKDF2 hasher) from no demo
class (the demo trainees of an earlier run are removed first), counting every PBKDF2 computation
(a password set or checked, and the fake one Django runs for an unusable password) and the
attempts played. Target (issue 22 item 5): under 60 s for 200 trainees, no hash per played
attempt.
"""

import argparse
import cProfile
import io
import pstats
import time
from contextlib import contextmanager

from common import purge_job_queue, require_postgresql, timed
from django.contrib.auth.hashers import PBKDF2PasswordHasher
from django.core.management import call_command

from accounts.models import User
from training.models import Attempt


@contextmanager
def counted_hashes():
    """A list that gets one entry per PBKDF2 computation made inside the block."""
    calls: list[int] = []
    original = PBKDF2PasswordHasher.encode

    def encode(self, password, salt, iterations=None):
        calls.append(1)
        return original(self, password, salt, iterations)

    PBKDF2PasswordHasher.encode = encode
    try:
        yield calls
    finally:
        PBKDF2PasswordHasher.encode = original


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--trainees", type=int, default=200, help="seed_demo's class size")
    parser.add_argument("--profile", action="store_true", help="print cProfile's top functions")
    args = parser.parse_args()
    require_postgresql("the seeding runs on the real setup")
    call_command("migrate", verbosity=0)
    User.objects.filter(username__startswith="demo-trainee-").delete()
    profile = cProfile.Profile() if args.profile else None
    cpu = time.process_time()
    with counted_hashes() as hashes, timed() as took:
        if profile:
            profile.enable()
        call_command("seed_demo", "--trainees", str(args.trainees), stdout=io.StringIO())
        if profile:
            profile.disable()
    seconds, cpu = took(), time.process_time() - cpu
    played = Attempt.objects.filter(trainee__username__startswith="demo-trainee-").count()
    purge_job_queue()
    met = ("yes" if seconds < 60 else "no") if args.trainees >= 200 else "n/a below 200"
    print(
        "`manage.py seed_demo --trainees N` in one process from no demo class, the bench "
        "settings (Django's PBKDF2 hasher). Target: under 60 s for 200 trainees.\n"
    )
    print(
        "| trainees | attempts played | seconds | CPU s (this process) | ms per attempt "
        "| password hashes | target met |"
    )
    print("|---|---|---|---|---|---|---|")
    per = seconds * 1000 / played if played else 0.0
    print(
        f"| {args.trainees} | {played} | {seconds:.1f} | {cpu:.1f} | {per:.0f} | {len(hashes)} "
        f"| {met} |"
    )
    print(
        "\nThe hashes are the demo logins' own (the demo trainee's and the trainer's, made once); "
        "a played attempt that computed one would show here as one per attempt. The CPU time is "
        "this process's alone (PostgreSQL's is apart): the figure to compare on a busy machine."
    )
    if profile:
        out = io.StringIO()
        pstats.Stats(profile, stream=out).sort_stats("cumulative").print_stats(25)
        print("\n```\n" + out.getvalue().strip() + "\n```")


if __name__ == "__main__":
    main()
