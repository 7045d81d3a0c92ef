"""Run checks on a real SQLite file, the database `make run` uses (tests/sqlite/test_sqlite.py).

    DATABASE_URL=sqlite:////tmp/x.sqlite3 python -m tests.sqlite.run

Migrates the fresh file, builds one trainee's world per check through the services, runs every
check and prints one JSON object: {check name: its result}.
"""

import json
import os

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")


def main() -> None:
    import django

    django.setup()
    from django.core.management import call_command
    from django.test import Client

    from accounts.models import User
    from tests.lifecycle.helpers import PASSWORD, build_world
    from tests.sqlite.figures import money_figures
    from tests.sqlite.writers import writers

    call_command("migrate", verbosity=0)
    results = {}
    for number, (name, check) in enumerate({"writers": writers, "money": money_figures}.items()):
        owner = User.objects.create_user(f"trainee{number}", f"t{number}@example.com", PASSWORD)
        world = build_world(owner, name=f"Practice {number}")

        def client_for(owner=owner) -> Client:
            client = Client(raise_request_exception=True)
            client.force_login(owner)
            return client

        results[name] = check(world, client_for)
    print(json.dumps(results))


if __name__ == "__main__":
    main()
