"""The shared cache fails open (config/cache.py, issue 20 item 8): Redis unreachable is a miss
for reads and a skipped write, and what could not be written or deleted is deleted from Redis
once it answers again, so no older value outlives the outage."""

import logging
import uuid

import pytest
import redis
from django.conf import settings

from config import cache as fail_open
from config.settings.base import shared_cache


@pytest.fixture
def cache():
    options = shared_cache(settings.REDIS_URL)["default"]
    params = {**options, "KEY_PREFIX": f"test-fail-open-{uuid.uuid4()}"}
    backend = fail_open.FailOpenRedisCache(options["LOCATION"], params)
    yield backend
    backend.delete_many(["kept", "signed-out", "new"])


class Unreachable:
    """Every connection to Redis refused, while it lasts."""

    def __init__(self, backend) -> None:
        self.backend, self.patch = backend, pytest.MonkeyPatch()

    def __enter__(self):
        def refused(*args, **kwargs):
            raise redis.ConnectionError("Error 111 connecting. Connection refused.")

        self.patch.setattr(self.backend._cache, "get_client", refused)
        return self

    def __exit__(self, *exc) -> None:
        self.patch.undo()


def test_reads_miss_and_writes_are_skipped_while_redis_is_unreachable(cache, caplog):
    cache.set("kept", "before")
    with Unreachable(cache), caplog.at_level(logging.WARNING, "config.cache"):
        assert cache.get("kept") is None
        assert cache.get("kept", "default") == "default"
        assert cache.get_many(["kept"]) == {}
        assert cache.has_key("kept") is False
        assert "kept" not in cache
        cache.set("new", "during")  # no error
        assert cache.add("new", "during") is False
        assert cache.delete("kept") is False
        assert cache.set_many({"new": 1}) == ["new"]
    warnings = [r.getMessage() for r in caplog.records if r.name == "config.cache"]
    assert len(warnings) == 1 and "unreachable" in warnings[0]


def test_what_could_not_be_written_or_deleted_is_deleted_once_redis_answers(cache, monkeypatch):
    """A session signed out during the outage must not come back from the cache afterwards."""
    cache.set("signed-out", {"_auth_user_id": "7"})
    cache.set("kept", "untouched")
    monkeypatch.setattr(fail_open, "RETRY_AFTER", 0)
    with Unreachable(cache):
        cache.delete("signed-out")
    assert cache.get("signed-out") is None  # deleted from Redis before the read
    raw = redis.Redis.from_url(settings.REDIS_URL)
    assert not raw.exists(cache.make_key("signed-out"))
    assert cache.get("kept") == "untouched"


def test_a_redis_that_failed_is_not_tried_again_at_once(cache, monkeypatch):
    calls = []

    def refused(*args, **kwargs):
        calls.append(1)
        raise redis.ConnectionError("refused")

    monkeypatch.setattr(cache._cache, "get_client", refused)
    for _ in range(5):
        assert cache.get("kept") is None
    assert len(calls) == 1
