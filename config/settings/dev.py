"""Local development and `make run`: debug on, SQLite and the filesystem broker by default."""

from .base import *  # noqa: F401,F403
from .base import env_bool

DEBUG = env_bool("DEBUG", True)
WHITENOISE_USE_FINDERS = DEBUG
DEMO_MODE = env_bool("DEMO_MODE", True)  # `make run` is a demo, whatever DEBUG says
