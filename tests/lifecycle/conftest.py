import pytest

from .helpers import World, build_world


@pytest.fixture
def world(trainee) -> World:
    return build_world(trainee)
