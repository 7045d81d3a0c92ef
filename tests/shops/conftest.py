"""The shop pages' fixtures: a small demo sandbox and its owner signed in."""

import pytest

from tests.web import demo


@pytest.fixture
def sandbox(trainee):
    return demo(trainee)


@pytest.fixture
def signed_in(client, trainee):
    client.force_login(trainee)
    return client
