"""Every page carries the Content-Security-Policy, Permissions-Policy and Referrer-Policy, and
no template holds what that policy would block (inline script, style or event handler)."""

import re
from pathlib import Path

import pytest
from django.urls import reverse

from config.middleware import permissions_policy
from tests.web import demo, url

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"
# What `script-src 'self'` and `style-src 'self'` refuse, as it appears in a template.
INLINE = {
    "inline script": re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/json\")[^>]*>"),
    "style block": re.compile(r"<style\b"),
    "style attribute": re.compile(r"\sstyle\s*="),
    "event handler": re.compile(r"\son[a-z]+\s*=", re.I),
    "javascript: link": re.compile(r"javascript:", re.I),
}


def test_no_template_holds_inline_script_or_style():
    found = [
        f"{path.relative_to(TEMPLATES)}:{n}: {what}"
        for path in sorted(TEMPLATES.rglob("*.html"))
        for n, line in enumerate(path.read_text().splitlines(), 1)
        for what, pattern in INLINE.items()
        if pattern.search(line)
    ]
    assert not found, "move these to a static file under static/:\n" + "\n".join(found)


def test_the_scan_catches_each_kind():
    samples = {
        "inline script": "<script>alert(1)</script>",
        "style block": "<style>p{}</style>",
        "style attribute": '<p style="color:red">',
        "event handler": '<a onclick="x()">',
        "javascript: link": '<a href="javascript:void(0)">',
    }
    for what, sample in samples.items():
        assert INLINE[what].search(sample), what
    assert not INLINE["inline script"].search('<script src="/static/seller.js" defer></script>')


def test_permissions_policy_header_value():
    assert permissions_policy({"camera": [], "payment": ["self"]}) == "camera=(), payment=(self)"


@pytest.mark.parametrize("where", ["login", "dashboard", "admin"])
def test_pages_carry_the_security_headers(client, trainee, staff_user, where):
    if where == "login":
        response = client.get(reverse("login"))
    elif where == "dashboard":
        client.force_login(trainee)
        response = client.get(url("dashboard", demo(trainee)))
    else:
        staff_user.is_superuser = True
        staff_user.save()
        client.force_login(staff_user)
        response = client.get(reverse("admin:index"))
    assert response.status_code == 200
    csp = dict(
        part.strip().split(" ", 1) for part in response["Content-Security-Policy"].split(";")
    )
    # Only this origin's files ('report-sample' only adds the first characters to reports).
    assert set(csp["script-src"].split()) == {"'self'", "'report-sample'"}
    assert set(csp["style-src"].split()) == {"'self'", "'report-sample'"}
    assert csp["default-src"] == "'self'" and csp["frame-ancestors"] == "'none'"
    assert "unsafe" not in response["Content-Security-Policy"]
    assert "camera=()" in response["Permissions-Policy"]
    assert "geolocation=()" in response["Permissions-Policy"]
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"


@pytest.mark.django_db
def test_signed_in_pages_are_not_stored_and_anonymous_ones_keep_their_headers(client, trainee):
    """Issue 20, item 12: signed-in pages carried no Cache-Control, so a shared computer's
    browser cache (or a proxy) could keep a trainee's pages after they signed out."""
    assert not client.get("/no-such-page/").has_header("Cache-Control")
    client.force_login(trainee)
    for address in (url("dashboard", demo(trainee)), "/no-such-page/"):
        response = client.get(address)
        assert "no-store" in response["Cache-Control"], address
