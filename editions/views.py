"""The rules in force, for everyone to read (issue 24, item 4): one page per edition generated
from its declaration, and a comparison of two editions for trainers."""

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from accounts.types import feature_matrix
from training.cohorts.web import trainer_page

from . import registry
from .pages import differences, rule_lines


def rules_page(request: HttpRequest, key: str) -> HttpResponse:
    try:
        edition = registry.get(key)
    except LookupError:
        raise Http404("No such edition.") from None
    return render(
        request,
        "editions/rules.html",
        {
            "edition": edition,
            "lines": rule_lines(edition),
            "matrix": feature_matrix("", edition=edition),
            "editions": registry.editions().values(),
        },
    )


@trainer_page
def compare_page(request: HttpRequest) -> HttpResponse:
    every = list(registry.editions())
    first = request.GET.get("first") or registry.default_key()
    second = request.GET.get("second") or next((k for k in every if k != first), first)
    if first not in every or second not in every:
        raise Http404("No such edition.")
    a, b = registry.get(first), registry.get(second)
    return render(
        request,
        "editions/compare.html",
        {
            "first": a,
            "second": b,
            "editions": registry.editions().values(),
            "differences": differences(a, b),
        },
    )
