"""The benchmarks' URLs: every production URL plus the trivial reference view.

Only config.settings.bench names this module; production serves config.urls, which never
includes the reference view.
"""

from django.http import HttpRequest, HttpResponse
from django.urls import path

from config.urls import urlpatterns as production_patterns

TRIVIAL_PATH = "__bench__/ok"


def trivial(request: HttpRequest) -> HttpResponse:
    """The reference: the same middleware as every page, no query, no template."""
    return HttpResponse("ok")


urlpatterns = [path(TRIVIAL_PATH, trivial, name="bench_trivial"), *production_patterns]
