"""The simulator's URLs plus the test platform's (tests/lti/platform.py)."""

from config.urls import urlpatterns as simulator
from tests.lti.platform import urlpatterns as platform

urlpatterns = [*platform, *simulator]
