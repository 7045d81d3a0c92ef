"""A cohort in a real browser: a trainer starts it and makes a link, a new person signs up
through it, closes the first-visit tour, plays the assigned scenario, and the trainer sees the
score in the cohort's grid."""

import re
from urllib.parse import urlparse

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from training.cohorts.demo import demo_trainer
from training.cohorts.models import Cohort, TourState
from training.models import Attempt

from .conftest import PHONE, act, axe, log_in, settle, shoot, visit

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TRAINER_PASSWORD = "trainer-browser-9"


@pytest.fixture
def trainer(transactional_db):
    trainer = demo_trainer()
    trainer.set_password(TRAINER_PASSWORD)
    trainer.save()
    return trainer


def test_a_trainer_sees_the_score_of_someone_who_joined_through_the_link(new_page, trainer):
    coach = new_page()
    log_in(coach, trainer.username, TRAINER_PASSWORD)
    visit(coach, reverse("trainer_cohort_list"))
    coach.get_by_label("Cohort name").fill("Browser class")
    act(coach, coach.get_by_role("button", name="Start the cohort"))  # opens the cohort's page
    cohort = Cohort.objects.get(name="Browser class")
    coach.locator("#id_seats").fill("5")
    act(coach, coach.get_by_role("button", name="Create an invitation link"))
    coach.locator("#id_scenario").select_option(label="Unlink a shop safely")
    act(coach, coach.get_by_role("button", name="Assign"))
    expect(coach.get_by_test_id("assignments")).to_contain_text("Unlink a shop safely")
    link = coach.get_by_test_id("invite-link").first.inner_text().strip()
    assert link.startswith("http://127.0.0.1:8000/join/")  # SITE_URL: what is sent to people

    person = new_page()
    visit(person, urlparse(link).path)
    person.locator("#id_username").fill("newcomer")
    person.locator("#id_email").fill("newcomer@example.com")
    person.locator("#id_password1").fill("sturdy-lantern-42")
    person.locator("#id_password2").fill("sturdy-lantern-42")
    act(person, person.get_by_role("button", name="Sign up and join"), path="/")
    expect(person.get_by_test_id("assigned")).to_contain_text("Not started")

    visit(person, reverse("training"))
    card = person.get_by_role("region", name="Unlink a shop safely")
    act(person, card.get_by_role("button", name=re.compile("^Start")))
    attempt = Attempt.objects.get(trainee__username="newcomer")
    act(person, person.get_by_test_id("play"), path=reverse("dashboard", args=[attempt.sandbox_id]))
    # A first visit: the tour is on; closing it is remembered for the person.
    tour = person.locator(".driver-popover")
    expect(tour).to_be_visible()
    shoot(person, "cohort-first-visit-tour")
    with person.expect_response(lambda r: r.url.endswith(reverse("tour_dismiss"))):
        person.locator(".driver-popover-close-btn").click()
    expect(tour).to_have_count(0)
    assert TourState.objects.filter(person__username="newcomer").exists()

    act(
        person,
        person.get_by_role("navigation", name="Seller Center").get_by_role(
            "link", name="Account Settings"
        ),
    )
    act(person, person.get_by_role("link", name="Linked accounts"))
    row = person.get_by_role("row", name=re.compile("Juniper Pop-up"))
    act(person, row.get_by_role("link", name=re.compile("^Unlink")))
    act(person, person.get_by_role("button", name="Unlink shop"))
    visit(person, reverse("attempt", args=[attempt.pk]))
    act(person, person.get_by_role("button", name="Finish and grade"))
    attempt.refresh_from_db()
    assert attempt.finished_at is not None and attempt.score is not None

    visit(coach, reverse("trainer_progress", args=[cohort.pk]))
    grid = coach.get_by_test_id("progress-grid")
    row = grid.get_by_role("row", name=re.compile("newcomer"))
    expect(row).to_contain_text(str(attempt.score))
    expect(row).to_contain_text("Failed" if not attempt.passed else "Passed")
    shoot(coach, "cohort-progress")
    act(coach, row.get_by_role("link", name=re.compile(str(attempt.score))))
    expect(coach.get_by_test_id("attempt-timeline")).to_contain_text("Juniper Pop-up")
    expect(coach.get_by_test_id("solution")).to_contain_text("ask for an export")
    settle(coach)


def test_a_trainer_finds_the_trainer_pages_and_a_new_cohort_opens_on_its_page(new_page, trainer):
    """Signed in, a trainer lands on their sandboxes: the top bar leads to their cohorts, on
    every page, and starting a cohort opens its page, where the invitation form is."""
    from tests.accounts.factories import SellerAccountFactory

    account = SellerAccountFactory(sandbox__owner=trainer)
    coach = new_page()
    log_in(coach, trainer.username, TRAINER_PASSWORD)
    assert urlparse(coach.url).path == "/"
    trainer_nav = coach.get_by_role("navigation", name="Trainer")
    act(
        coach,
        trainer_nav.get_by_role("link", name="Your cohorts"),
        path=reverse("trainer_cohort_list"),
    )
    expect(
        coach.get_by_role("navigation", name="Trainer").get_by_role("link", name="Your cohorts")
    ).to_have_attribute("aria-current", "page")
    coach.get_by_label("Cohort name").fill("Autumn class")
    act(coach, coach.get_by_role("button", name="Start the cohort"))
    cohort = Cohort.objects.get(name="Autumn class")
    assert urlparse(coach.url).path == reverse("trainer_cohort", args=[cohort.pk])
    expect(coach.get_by_role("status")).to_contain_text("create an invitation link for it below")
    expect(coach.get_by_role("button", name="Create an invitation link")).to_be_visible()

    # Inside a sandbox, the account menu leads there too.
    visit(coach, reverse("dashboard", args=[account.sandbox_id]))
    coach.get_by_role("button", name=trainer.username).click()
    act(coach, coach.get_by_role("link", name="Your cohorts"), path=reverse("trainer_cohort_list"))


def test_the_cohort_pages_tables_scroll_by_keyboard_too(new_page, trainer):
    """axe-core's scrollable-region-focusable: a trainee table wider than its column (long
    emails; a phone) scrolled, and a keyboard user could not reach the part out of view."""
    from accounts.models import User
    from training.cohorts.models import JoinedBy, Membership
    from training.cohorts.services import create_cohort

    cohort = create_cohort(actor=trainer, name="Wide class")
    for n in range(3):
        person = User.objects.create_user(
            f"trainee-with-a-long-name-{n}", f"a-very-long-address-number-{n}@faculty.example.org"
        )
        Membership.objects.create(cohort=cohort, trainee=person, joined_by=JoinedBy.TRAINER)
    coach = new_page(PHONE)
    log_in(coach, trainer.username, TRAINER_PASSWORD)
    visit(coach, reverse("trainer_cohort", args=[cohort.pk]))  # axe runs here
    table = coach.get_by_test_id("trainees").locator("xpath=..")
    assert table.evaluate("e => e.scrollWidth > e.clientWidth")  # it does scroll
    table.focus()
    coach.keyboard.press("ArrowRight")
    coach.wait_for_function(
        "() => document.querySelector('[data-testid=trainees]').parentElement.scrollLeft > 0"
    )


def test_a_trainer_on_a_phone_narrows_and_sorts_the_grid(new_page, trainer):
    """The filter form swaps the grid in place (htmx) and puts the filters in the address, so
    the narrowed grid can be reloaded or shared; the rows shown are those asked for."""
    from training.cohorts.demo import DEMO_SCENARIOS, demo_class

    cohort = demo_class(trainer, 8)
    failed = Attempt.objects.filter(
        cohort=cohort, scenario_slug=DEMO_SCENARIOS[0], finished_at__isnull=False, passed=False
    )
    failing = sorted(set(failed.values_list("trainee__username", flat=True)))
    assert failing  # the demo's careless runs
    coach = new_page(PHONE)
    log_in(coach, trainer.username, TRAINER_PASSWORD)
    visit(coach, reverse("trainer_progress", args=[cohort.pk]))
    form = coach.get_by_test_id("grid-filter")
    with coach.expect_response(lambda r: "state=failed" in r.url):
        form.get_by_label("Scenario").select_option(DEMO_SCENARIOS[0])
        form.get_by_label("State").select_option(label="Failed")
    settle(coach)
    expect(coach.get_by_test_id("grid-count")).to_contain_text(f"{len(failing)} of 8 trainees")
    grid = coach.get_by_test_id("progress-grid")
    expect(grid.locator("tbody th")).to_have_text(failing)
    expect(grid.locator("thead th")).to_have_count(2)  # the trainee and the one scenario
    assert "state=failed" in coach.url  # the address says what is shown
    with coach.expect_response(lambda r: "sort=score_high" in r.url):
        form.get_by_label("Sort by").select_option(label="Best score, highest first")
    settle(coach)
    axe(coach)
    shoot(coach, "cohort-progress-filtered")
    coach.reload()
    settle(coach)
    expect(coach.get_by_test_id("grid-count")).to_contain_text(f"{len(failing)} of 8 trainees")
    expect(coach.get_by_label("State")).to_have_value("failed")
