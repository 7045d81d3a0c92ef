"""Bad input walked from the forms: every form a trainee or a trainer can reach, posted with
hostile values, and the trainer's CSV import fed hostile files.

The forms are found, not listed: every page of a demo sandbox (the SAMPLES of
tests/test_url_auth.py) is rendered and each <form> on it read, so a new form is covered the
day it appears. Hypothesis fills the fields with NUL and direction marks, huge and negative
numbers, overlong strings, repeated fields, missing fields and markup, and posts each as a
plain form and as htmx would. After every post: no server error, no markup sent back
unescaped, no redirect off the site, and the timeline agrees with the state (a change is
never without its event, a refusal changes nothing).
"""

from dataclasses import dataclass
from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import resolve, reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from accounts.models import AppAuthorization, Sandbox, SellerAccount, User
from lifecycle.models import DeletionRequest, ExportJob, Outcome, TimelineEvent
from shops.models import Campaign, Inquiry, Order, Product, ShopLink
from tests.test_url_auth import (
    COHORT,
    OWNED,
    PUBLIC,
    SAMPLES,
    SIGNED_IN,
    SITE,
    address,
    world_of,
)
from training.cohorts.models import Cohort

MARKUP = ['<script>alert("x")</script>', '"><img src=x onerror=alert(1)>']
HOSTILE = [
    "",
    " ",
    "\x00",
    "abc\x00def",
    "\u202eevil\u202c",  # right-to-left override
    "\u200f\u200e\u2066x\u2069",  # direction marks and isolates
    "\ufeff\u200b",  # BOM, zero width space
    "e\u0301\u0301\u0301",  # stacked combining marks
    "\U0001f4a9" * 50,
    "\ud7ff\uffff",
    "-1",
    "0",
    "-999999999999999999999999",
    "99999999999999999999999999999999",
    "1e309",
    "NaN",
    "Infinity",
    "0x1F",
    "١٢٣",  # Arabic-Indic digits
    "3.14159265358979323846264338327950288",
    "{{ 7|add:7 }}{% now 'Y' %}",
    "'; DROP TABLE accounts_user; --",
    "../../etc/passwd",
    "//evil.example/",
    "https://evil.example/",
    "javascript:alert(1)",
    "A" * 10_000,
    *MARKUP,
]
value = st.one_of(
    st.sampled_from(HOSTILE),
    st.text(max_size=60),
    st.integers(min_value=-(10**30), max_value=10**30).map(str),
)
# Each field: one value, several (a repeated field), or left out.
field_value = st.one_of(value, st.lists(value, min_size=2, max_size=3), st.none())


@dataclass(frozen=True)
class Form:
    page: str
    action: str
    fields: tuple[str, ...]
    method: str = "post"


class FormReader(HTMLParser):
    """The forms of a page: their method, action and the names of their fields."""

    def __init__(self, page: str) -> None:
        super().__init__()
        self.page, self.forms, self.current = page, [], None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            method = (attrs.get("method") or "get").lower()
            self.current = (method, attrs.get("action") or self.page, [])
        elif tag in ("input", "select", "textarea", "button") and self.current:
            name = attrs.get("name")
            if name and name != "csrfmiddlewaretoken":
                self.current[2].append(name)

    def handle_endtag(self, tag):
        if tag == "form" and self.current:
            method, action, fields = self.current
            self.forms.append(Form(self.page, action, tuple(dict.fromkeys(fields)), method))
            self.current = None


def forms_of(client: Client, world, kinds=(OWNED, SIGNED_IN, PUBLIC)) -> list[Form]:
    """One form of each kind (view and fields) on the pages of these kinds the client opens."""
    found: dict[tuple, Form] = {}
    for route in SITE:
        kind, fill = SAMPLES[route.name]
        if kind not in kinds:
            continue
        url = address(route, fill(world))
        response = client.get(url)
        if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
            continue
        reader = FormReader(url)
        reader.feed(response.content.decode())
        for form in reader.forms:
            view = resolve(urlsplit(form.action).path).url_name
            # Signing out, or removing the sandbox, would end the walk for every later form.
            if view not in ("logout", "sandbox_delete"):
                found.setdefault((view, form.fields, form.method), form)
    return list(found.values())


def hostile_settings(examples: int):
    return settings(
        max_examples=examples,
        deadline=None,
        database=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
    )


def hostile_posts(forms: list[Form]):
    """A form, hostile values for its fields, and whether it is posted as htmx would."""
    return st.sampled_from(forms).flatmap(
        lambda form: st.tuples(
            st.just(form),
            st.fixed_dictionaries({name: field_value for name in form.fields}),
            st.booleans(),
        )
    )


def snapshot(sandbox: Sandbox) -> tuple:
    """Everything a form of this sandbox could change."""
    accounts = SellerAccount.objects.filter(sandbox=sandbox)
    rows = [
        Sandbox.objects.filter(pk=sandbox.pk).values_list("name", "clock_offset"),
        accounts.values_list("pk", "status", "account_type", "category", "display_name"),
        Order.objects.filter(account__in=accounts).values_list("pk", "status", "tracking_number"),
        Campaign.objects.filter(account__in=accounts).values_list("pk", "status", "name", "budget"),
        Product.objects.filter(account__in=accounts).values_list("pk", "listing_status", "stock"),
        Inquiry.objects.filter(account__in=accounts).values_list("pk", "reply"),
        ShopLink.objects.filter(account__in=accounts).values_list("pk", "unlinked_at"),
        AppAuthorization.objects.filter(account__in=accounts).values_list("pk", "revoked_at"),
        ExportJob.objects.filter(account__in=accounts).values_list("pk", "status"),
        DeletionRequest.objects.filter(account__in=accounts).values_list("pk", "status"),
    ]
    return tuple(tuple(sorted(q.order_by())) for q in rows)


def done_events(sandbox: Sandbox) -> int:
    return TimelineEvent.objects.filter(sandbox=sandbox, outcome=Outcome.DONE).count()


def account_agrees_with_its_timeline(sandbox: Sandbox) -> bool:
    account = SellerAccount.objects.filter(sandbox=sandbox).order_by("id").first()
    last = (
        TimelineEvent.objects.filter(
            sandbox=sandbox, subject_type="account", subject_id=account.pk, outcome=Outcome.DONE
        )
        .exclude(after="")
        .order_by("-id")
        .values_list("after", flat=True)
        .first()
    )
    return last is None or last == account.status


def as_post(values: dict) -> dict:
    return {name: v for name, v in values.items() if v is not None}


@pytest.mark.django_db
def test_every_form_survives_hostile_input(trainee):
    world = world_of(trainee, "Hostile input")
    client = Client()
    client.force_login(trainee)
    forms = forms_of(client, world)
    assert len(forms) >= 10, forms  # the walk found the sandbox's forms
    sandbox = world.sandbox

    @hostile_settings(60)
    @given(hostile_posts(forms))
    def post_hostile(example):
        form, values, htmx = example
        headers = {"HX-Request": "true", "HX-Current-URL": form.page} if htmx else {}
        before, events = snapshot(sandbox), done_events(sandbox)
        send = client.post if form.method == "post" else client.get
        response = send(form.action, as_post(values), headers=headers)
        where = f"{'htmx ' if htmx else ''}{form.method.upper()} {form.action} {values!r}"
        assert response.status_code < 500, where
        body = response.content.decode(errors="replace")
        for markup in MARKUP:
            assert markup not in body, f"unescaped markup in the answer to {where}"
        location = response.get("Location", "")
        parts = urlsplit(location)
        assert not (parts.scheme or parts.netloc), f"redirected off the site to {location}: {where}"
        changed = snapshot(sandbox) != before
        if response.status_code >= 400:
            assert not changed, f"refused ({response.status_code}) but changed: {where}"
        if changed:
            assert done_events(sandbox) > events, f"changed with no timeline event: {where}"
        assert account_agrees_with_its_timeline(sandbox), where

    post_hostile()


def test_the_form_reader_finds_every_form_and_its_fields():
    reader = FormReader("/here/")
    reader.feed(
        '<form><input name="q"></form>'
        '<form method="post" action="/there/"><input type="hidden" name="csrfmiddlewaretoken">'
        '<input name="a"><select name="b"></select><textarea name="a"></textarea></form>'
        '<form method="POST"><button name="go" value="1">Go</button></form>'
    )
    assert reader.forms == [
        Form("/here/", "/here/", ("q",), "get"),
        Form("/here/", "/there/", ("a", "b")),
        Form("/here/", "/here/", ("go",)),
    ]


# --- The trainer's pages and the CSV import --------------------------------------------------


def cohort_snapshot(cohort) -> tuple:
    """Everything a trainer's form could change in the cohort (its record included)."""
    rows = [
        Cohort.objects.filter(trainers=cohort.trainers.first()).values_list("pk", "name"),
        cohort.invitations.values_list("pk", "seats", "expires_at", "revoked_at"),
        cohort.assignments.values_list("pk", "scenario_slug", "due_on"),
        cohort.memberships.values_list("trainee_id", "joined_by"),
        cohort.events.values_list("pk"),
        User.objects.values_list("pk", "username", "email"),
    ]
    return tuple(tuple(sorted(q.order_by())) for q in rows)


def check_answer(response, where: str) -> None:
    assert response.status_code < 500, where
    body = response.content.decode(errors="replace")
    for markup in MARKUP:
        assert markup not in body, f"unescaped markup in the answer to {where}"
    parts = urlsplit(response.get("Location", ""))
    assert not (parts.scheme or parts.netloc), f"redirected off the site: {where}"


@pytest.mark.django_db
def test_every_trainer_form_survives_hostile_input(trainee):
    world = world_of(trainee, "Hostile trainer input")
    client = Client()
    client.force_login(world.trainer)
    forms = forms_of(client, world, kinds=(COHORT,))
    views = {resolve(urlsplit(f.action).path).url_name for f in forms}
    assert {"trainer_invite", "trainer_assign", "trainer_import"} <= views, views

    @hostile_settings(50)
    @given(hostile_posts(forms))
    def post_hostile(example):
        form, values, htmx = example
        headers = {"HX-Request": "true", "HX-Current-URL": form.page} if htmx else {}
        before = cohort_snapshot(world.cohort)
        response = client.post(form.action, as_post(values), headers=headers)
        where = f"{'htmx ' if htmx else ''}POST {form.action} {values!r}"
        check_answer(response, where)
        if response.status_code >= 400:
            assert cohort_snapshot(world.cohort) == before, f"refused but changed: {where}"

    post_hostile()


CSV_VALUES = st.one_of(
    st.sampled_from(
        [
            "ana",
            "ana@example.com",
            "\uff41na",  # fullwidth
            "ANA@EXAMPLE.COM",
            "a" * 300 + "@example.com",
            "x" * 140_000,
            '"',
            '"quoted, with a comma"',
            "\x00",
            "\r",
            "\n",
            "\r\n",
            "\ufeff",
            "\u202eevil",
            *MARKUP,
            "0001-01-01",
        ]
    ),
    st.text(max_size=20),
)
HEADERS = st.sampled_from(
    [
        "username,email",
        "username,email,first_name,last_name",
        "email,username",
        "username,email,email",
        "username",
        "",
        "Username , EMAIL",
    ]
)


@pytest.mark.django_db
def test_the_csv_import_survives_hostile_files(trainee):
    world = world_of(trainee, "Hostile import")
    client = Client()
    client.force_login(world.trainer)
    target = reverse("trainer_import", args=[world.cohort.pk])

    @hostile_settings(60)
    @given(
        HEADERS,
        st.lists(st.lists(CSV_VALUES, min_size=1, max_size=5), max_size=4),
        st.sampled_from(["\n", "\r\n", "\r"]),
    )
    def upload_hostile(header, rows, end):
        text = end.join([header, *(",".join(row) for row in rows)]) + end
        before = cohort_snapshot(world.cohort)
        upload = SimpleUploadedFile("people.csv", text.encode("utf-8"))
        response = client.post(target, {"file": upload})
        where = f"import of {text[:300]!r}"
        check_answer(response, where)
        assert response.status_code in (302, 400), where
        if response.status_code == 400:
            assert cohort_snapshot(world.cohort) == before, f"refused but changed: {where}"

    upload_hostile()
