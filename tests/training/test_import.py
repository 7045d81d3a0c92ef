"""CSV import: every row or none, bad lines named, the same file twice adds no one."""

from io import StringIO

import pytest
from django.contrib.auth.models import Group
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse

from accounts.models import User
from training.cohorts.importing import MAY_NOT_ADD, BadImport, import_trainees, parse
from training.cohorts.models import LoginInvitation, Membership
from training.cohorts.roles import DEMO_GROUP

GOOD = (
    "username,email,first_name,last_name\n"
    "ana,ana@example.com,Ana,Lopes\n"
    "ben,ben@example.com,,\n"
    "chloe,chloe@example.com,Chloe,Ng\n"
)


def members(cohort) -> list[str]:
    return sorted(cohort.trainees.values_list("username", flat=True))


def test_a_good_file_imports_every_row_and_emails_each_a_set_password_link(
    trainer, cohort, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        report = import_trainees(actor=trainer, cohort=cohort, text=GOOD)
    assert report.created == ["ana", "ben", "chloe"]
    assert members(cohort) == ["ana", "ben", "chloe"]
    ana = User.objects.get(username="ana")
    assert (ana.first_name, ana.last_name) == ("Ana", "Lopes")
    assert not ana.has_usable_password()
    assert sorted(m.to[0] for m in mail.outbox) == [
        "ana@example.com",
        "ben@example.com",
        "chloe@example.com",
    ]
    assert "/password/reset/" in mail.outbox[0].body and cohort.name in mail.outbox[0].subject


def test_the_emailed_link_sets_the_password(
    client, trainer, cohort, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        import_trainees(actor=trainer, cohort=cohort, text="username,email\nana,ana@example.com\n")
    link = next(w for w in mail.outbox[0].body.split() if "/password/reset/" in w)
    path = link.split("://", 1)[1].split("/", 1)[1]
    form = client.get("/" + path, follow=True)
    assert form.status_code == 200 and "Choose your password" in form.content.decode()
    done = client.post(
        form.redirect_chain[-1][0],
        {"new_password1": "sturdy-lantern-42", "new_password2": "sturdy-lantern-42"},
    )
    assert done.status_code == 302
    assert User.objects.get(username="ana").check_password("sturdy-lantern-42")


@pytest.mark.parametrize(
    ("bad_row", "reason"),
    [
        ("dan,not-an-email", "“not-an-email” is not an email address"),
        (",dan@example.com", "the username is empty"),
        ("dan,", "the email is empty"),
        ("dan x,dan@example.com", "is not valid"),
        ("ben,ben2@example.com", "the username “ben” is on line 3"),
        ("dan,ANA@example.com", "the email ANA@example.com is on line 2 already"),
        ("dan,dan@example.com,D,N,extra", "more values than the header"),
    ],
)
def test_a_file_with_one_bad_row_imports_nothing_and_names_the_line(
    trainer, cohort, bad_row, reason
):
    text = GOOD + bad_row + "\n"
    with pytest.raises(BadImport) as refused:
        import_trainees(actor=trainer, cohort=cohort, text=text)
    assert len(refused.value.errors) == 1
    line, said = refused.value.errors[0]
    assert line == 5 and reason in said
    assert members(cohort) == []
    assert not User.objects.filter(username__in=["ana", "ben", "chloe", "dan"]).exists()
    assert mail.outbox == []


def test_every_bad_row_is_reported(trainer, cohort):
    text = "username,email\nok,ok@example.com\nbad,nope\n\nalso bad,x@example.com\n"
    with pytest.raises(BadImport) as refused:
        parse(text)
    assert [line for line, _ in refused.value.errors] == [3, 5]


@pytest.mark.parametrize(
    ("header", "reason"),
    [
        ("user,email", "the header needs the column username; unknown column user"),
        ("username,email,phone", "unknown column phone"),
    ],
)
def test_a_bad_header_is_line_1(header, reason):
    with pytest.raises(BadImport) as refused:
        parse(header + "\nana,ana@example.com\n")
    assert refused.value.errors == [(1, reason)]


def test_a_header_alone_is_refused():
    with pytest.raises(BadImport, match="no rows"):
        parse("username,email\n")


def test_a_row_clashing_with_an_existing_login_is_bad_and_names_no_login(trainer, cohort, trainee):
    trainee.email = "someone@example.com"
    trainee.save(update_fields=["email"])
    clashes = [
        "trainee,x@example.com",  # the username is someone else's
        "TRAINEE,x@example.com",  # in other letters
        "new,someone@example.com",  # the email is someone else's
        "new,SOMEONE@EXAMPLE.COM",
    ]
    for row in clashes:
        with pytest.raises(BadImport) as refused:
            import_trainees(actor=trainer, cohort=cohort, text=f"username,email\n{row}\n")
        assert refused.value.errors == [(2, MAY_NOT_ADD)], row
        assert "trainee" not in MAY_NOT_ADD and "someone" not in MAY_NOT_ADD
    assert members(cohort) == []
    assert not User.objects.filter(username__iexact="new").exists()


def test_importing_the_same_file_twice_duplicates_no_one(
    trainer, cohort, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        import_trainees(actor=trainer, cohort=cohort, text=GOOD)
    with django_capture_on_commit_callbacks(execute=True):
        again = import_trainees(actor=trainer, cohort=cohort, text=GOOD)
    assert again.created == [] and again.skipped == ["ana", "ben", "chloe"]
    assert User.objects.filter(username__in=["ana", "ben", "chloe"]).count() == 3
    assert Membership.objects.filter(cohort=cohort).count() == 3
    assert len(mail.outbox) == 3  # nobody is emailed twice
    assert cohort.events.filter(action="import_trainees").count() == 1


def test_someone_with_a_login_is_invited_never_enrolled(
    trainer, cohort, trainee, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        report = import_trainees(
            actor=trainer, cohort=cohort, text="username,email\ntrainee,TRAINEE@example.com\n"
        )
    assert report.invited == ["trainee"] and report.created == []
    assert members(cohort) == []
    invitation = LoginInvitation.objects.get(cohort=cohort, person=trainee)
    assert invitation.answered_at is None and invitation.invited_by == trainer
    [sent] = mail.outbox
    assert sent.to == ["trainee@example.com"] and cohort.name in sent.subject
    assert "/password/reset/" not in sent.body  # nothing to set: they sign in with their own
    # Importing the row again invites no one twice.
    with django_capture_on_commit_callbacks(execute=True):
        again = import_trainees(
            actor=trainer, cohort=cohort, text="username,email\ntrainee,trainee@example.com\n"
        )
    assert again.skipped == ["trainee"] and again.invited == []
    assert LoginInvitation.objects.filter(cohort=cohort).count() == 1 and len(mail.outbox) == 1


@pytest.mark.parametrize("kind", ["staff", "superuser", "demo", "inactive"])
def test_a_login_no_trainer_may_invite_is_refused_without_being_named(
    trainer, cohort, kind, django_capture_on_commit_callbacks
):
    person = User.objects.create_user("boss", "boss@example.com", "x")
    if kind == "demo":
        person.groups.add(Group.objects.get_or_create(name=DEMO_GROUP)[0])
    else:
        setattr(
            person,
            {"staff": "is_staff", "superuser": "is_superuser"}.get(kind, "is_active"),
            kind != "inactive",
        )
        person.save()
    with pytest.raises(BadImport) as refused, django_capture_on_commit_callbacks(execute=True):
        import_trainees(
            actor=trainer, cohort=cohort, text="username,email\nboss,boss@example.com\n"
        )
    assert refused.value.errors == [(2, MAY_NOT_ADD)]
    assert not LoginInvitation.objects.exists() and members(cohort) == [] and mail.outbox == []


def test_the_command_takes_the_cohort_by_slug_or_id(tmp_path, cohort):
    path = tmp_path / "people.csv"
    path.write_text(GOOD)
    out = StringIO()
    call_command("import_trainees", cohort.slug, str(path), stdout=out)
    assert "3 new trainees imported" in out.getvalue()
    out = StringIO()
    call_command("import_trainees", str(cohort.pk), str(path), stdout=out)
    assert "3 rows skipped: already in the cohort or invited" in out.getvalue()
    assert members(cohort) == ["ana", "ben", "chloe"]


def test_the_command_lists_every_bad_line_and_imports_nothing(tmp_path, cohort):
    path = tmp_path / "people.csv"
    path.write_text("username,email\nana,ana@example.com\nben,broken\n")
    err = StringIO()
    with pytest.raises(CommandError, match="Nothing imported: 1 bad line"):
        call_command("import_trainees", cohort.slug, str(path), stderr=err)
    assert f"{path}:3: “broken” is not an email address" in err.getvalue()
    assert members(cohort) == []
    with pytest.raises(CommandError, match="No cohort has the id or slug"):
        call_command("import_trainees", "no-such-cohort", str(path))


def test_the_upload_page_imports_and_shows_bad_lines(client, trainer, cohort):
    client.force_login(trainer)
    address = reverse("trainer_import", args=[cohort.pk])
    bad = SimpleUploadedFile("p.csv", b"username,email\nana,ana@example.com\nben,broken\n")
    response = client.post(address, {"file": bad})
    assert response.status_code == 400
    assert "Line 3: “broken” is not an email address" in response.content.decode()
    assert members(cohort) == []

    good = SimpleUploadedFile("p.csv", GOOD.encode())
    response = client.post(address, {"file": good}, follow=True)
    assert response.status_code == 200
    assert "3 new trainees imported" in response.content.decode()
    assert members(cohort) == ["ana", "ben", "chloe"]


def test_the_upload_page_refuses_a_file_that_is_not_utf8(client, trainer, cohort):
    client.force_login(trainer)
    upload = SimpleUploadedFile("p.csv", "username,email\nzoë,z@example.com\n".encode("latin-1"))
    response = client.post(reverse("trainer_import", args=[cohort.pk]), {"file": upload})
    assert response.status_code == 400 and "not UTF-8" in response.content.decode()


HOSTILE_FILES = [
    # (file, line named, what the reason says)
    ("username,email\nana," + "a" * 140_000 + "@example.com\n", 2, "longer than 128 KiB"),
    ("username,email\rana,ana@example.com\rben,ben@example.com\r", 1, "carriage return"),
    ("username,email\r\nana,ana@example.com\rben,ben@example.com\r\n", 2, "carriage return"),
    ("username,email\nana," + "a" * 288 + "@example.com\n", 2, "longer than 254 characters"),
    ("username,email,email\nana,ana@example.com,ana@example.com\n", 1, "email is in the header"),
    ("username,email,first_name\nana,ana@example.com,A\x00na\n", 2, "NUL character"),
    ('username,email\nana,"ana@example.com\n', 2, "cannot be read as CSV"),
]


@pytest.mark.parametrize(("text", "line", "reason"), HOSTILE_FILES)
def test_a_hostile_file_is_refused_naming_its_line_and_imports_nothing(
    client, trainer, cohort, text, line, reason
):
    with pytest.raises(BadImport) as refused:
        import_trainees(actor=trainer, cohort=cohort, text=text)
    assert [(n, reason in said) for n, said in refused.value.errors] == [(line, True)], (
        refused.value.errors
    )
    client.force_login(trainer)
    upload = SimpleUploadedFile("p.csv", text.encode())
    response = client.post(reverse("trainer_import", args=[cohort.pk]), {"file": upload})
    assert response.status_code == 400
    assert f"Line {line}:" in response.content.decode()
    assert members(cohort) == [] and not User.objects.filter(username="ana").exists()
    assert mail.outbox == []


def test_a_fullwidth_username_is_stored_as_typed_into_a_form_and_signs_in(
    client, trainer, cohort, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        report = import_trainees(
            actor=trainer, cohort=cohort, text="username,email\n\uff41lice,alice@example.com\n"
        )
    assert report.created == ["alice"]
    alice = User.objects.get(email="alice@example.com")
    assert alice.username == "alice"
    alice.set_password("sturdy-lantern-42")
    alice.save()
    for typed in ("\uff41lice", "alice"):
        assert (
            client.post(
                reverse("login"), {"username": typed, "password": "sturdy-lantern-42"}
            ).status_code
            == 302
        ), typed
        client.logout()


def test_a_fullwidth_username_in_the_file_clashes_with_the_plain_one(trainer, cohort):
    with pytest.raises(BadImport) as refused:
        parse("username,email\nalice,a@example.com\n\uff41lice,b@example.com\n")
    assert refused.value.errors == [(3, "the username “alice” is on line 2")]
