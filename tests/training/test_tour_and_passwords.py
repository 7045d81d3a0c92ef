"""The first-visit tour is remembered per person; password reset goes through EMAIL_BACKEND."""

import re

from django.urls import reverse

from tests.web import demo
from training.cohorts.models import TourState


def autostart(page: str) -> str:
    return re.search(r'id="tour" hidden data-autostart="(\d)"', page).group(1)


def test_the_tour_starts_until_the_person_closes_it_then_only_from_help(client, trainee):
    sandbox = demo(trainee)
    client.force_login(trainee)
    page = client.get(reverse("dashboard", args=[sandbox.pk])).content.decode()
    assert autostart(page) == "1"
    assert "data-tour-start" in page and "Take the tour" in page
    assert "vendor/driver.js-1.8.0/driver.js.iife.js" in page and "training/tour.js" in page

    assert client.get(reverse("tour_dismiss")).status_code == 405
    assert client.post(reverse("tour_dismiss")).status_code == 204
    assert client.post(reverse("tour_dismiss")).status_code == 204  # a repeat changes nothing
    assert TourState.objects.filter(person=trainee).count() == 1

    page = client.get(reverse("dashboard", args=[sandbox.pk])).content.decode()
    assert autostart(page) == "0" and "Take the tour" in page


def test_the_tour_is_remembered_per_person_not_per_browser(client, trainee, other_trainee):
    client.force_login(trainee)
    client.post(reverse("tour_dismiss"))
    sandbox = demo(other_trainee)
    client.force_login(other_trainee)
    assert autostart(client.get(reverse("dashboard", args=[sandbox.pk])).content.decode()) == "1"


def test_an_anonymous_visitor_cannot_dismiss_anything(client, db):
    response = client.post(reverse("tour_dismiss"))
    assert response.status_code == 302 and not TourState.objects.exists()


def test_password_reset_by_email_with_djangos_views(client, trainee, mailoutbox):
    assert "Forgot your password?" in client.get(reverse("login")).content.decode()
    response = client.post(reverse("password_reset"), {"email": trainee.email})
    assert response.status_code == 302 and response["Location"] == reverse("password_reset_done")
    assert len(mailoutbox) == 1 and mailoutbox[0].to == [trainee.email]
    link = re.search(r"https?://\S+/password/reset/\S+/", mailoutbox[0].body).group(0)
    form = client.get(link.split("testserver", 1)[1], follow=True)
    assert "Choose your password" in form.content.decode()
    done = client.post(
        form.redirect_chain[-1][0],
        {"new_password1": "sturdy-lantern-42", "new_password2": "sturdy-lantern-42"},
    )
    assert done["Location"] == reverse("password_reset_complete")
    trainee.refresh_from_db()
    assert trainee.check_password("sturdy-lantern-42")
    # The link works once.
    again = client.get(link.split("testserver", 1)[1], follow=True)
    assert "This link no longer works" in again.content.decode()


def test_an_unknown_email_sends_nothing_and_says_the_same(client, db, mailoutbox):
    response = client.post(reverse("password_reset"), {"email": "nobody@example.com"})
    assert response.status_code == 302 and mailoutbox == []


def test_a_site_that_sends_no_email_says_so_and_sends_no_reset_link(
    client, trainee, mailoutbox, settings
):
    settings.EMAILS_SANDBOX_ONLY = True
    page = client.get(reverse("password_reset"))
    assert page.status_code == 200 and "This site sends no email" in page.content.decode()
    response = client.post(reverse("password_reset"), {"email": trainee.email})
    assert response.status_code == 200 and "This site sends no email" in response.content.decode()
    assert mailoutbox == []
