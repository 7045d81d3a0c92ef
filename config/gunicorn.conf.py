"""gunicorn in production: `gunicorn -c config/gunicorn.conf.py` (README, "Deployment").

The access and error logs pass the same filter as Django's (lifecycle.redaction), so the
token in the path of an emailed or shared link is written as [hidden].
"""

import os
from pathlib import Path

from gunicorn.glogging import Logger

from lifecycle.redaction import RedactSecretsFilter

wsgi_app = "config.wsgi:application"
bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("WEB_CONCURRENCY", "2"))
# WEB_THREADS > 1 runs gunicorn's gthread workers (each thread keeps its own persistent
# database connection); docs/benchmarks.md measures both.
threads = int(os.environ.get("WEB_THREADS", "1"))
accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-")
errorlog = os.environ.get("GUNICORN_ERROR_LOG", "-")
# Only this proxy's X-Forwarded-* headers are believed (set it to the proxy's address).
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
# gunicorn's control socket (`gunicornc`) in the var dir with the project's other files, not
# under the home folder (~/.gunicorn/), which may not be writable for the service's user.
_var = Path(os.environ.get("SIMULATOR_VAR_DIR", Path(__file__).resolve().parent.parent / "var"))
_var.mkdir(parents=True, exist_ok=True)
control_socket = str(_var / "gunicorn.ctl")


class RedactingLogger(Logger):
    """gunicorn's logger, with every access and error line redacted before it is written."""

    def setup(self, cfg) -> None:
        super().setup(cfg)
        for log in (self.access_log, self.error_log):
            log.addFilter(RedactSecretsFilter())


logger_class = RedactingLogger
