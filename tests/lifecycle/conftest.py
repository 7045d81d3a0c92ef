import pytest

from tests.accounts.factories import SellerAccountFactory

from .helpers import World, build_world


@pytest.fixture
def world(trainee) -> World:
    return build_world(trainee)


@pytest.fixture
def quiet(trainee):
    """An account of the trainee's with nothing in the way of a deletion request."""
    return SellerAccountFactory(sandbox__owner=trainee)


@pytest.fixture
def signed_in(client, trainee):
    client.force_login(trainee)
    return client


@pytest.fixture
def lead(db):
    """A superuser at the support desk: every staff action, through the admin's test client."""
    from tests.accounts.factories import UserFactory
    from tests.support_admin import client_for

    return client_for(UserFactory(is_staff=True, is_superuser=True))
