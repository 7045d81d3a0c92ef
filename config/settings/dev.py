"""Local development and `make run`: SQLite and the filesystem broker by default; DEBUG on for
`manage.py` unless DEBUG=0 (which `make run` sets unless DEBUG=1 is given)."""

from .base import *  # noqa: F401,F403
from .base import env_bool

DEBUG = env_bool("DEBUG", True)  # `make run` sets DEBUG=0 unless DEBUG=1 is given
WHITENOISE_USE_FINDERS = True  # static files without collectstatic, DEBUG or not
DEMO_MODE = env_bool("DEMO_MODE", True)  # `make run` is a demo, whatever DEBUG says
