"""Importing trainees into a cohort from CSV: all rows or none, each bad row named by its line.

Columns: username, email, and optionally first_name, last_name (the header is line 1). A row
whose person is already in the cohort (or invited to it) is skipped, so importing the same file
twice adds no one. Each new login gets an email with a link to set its password (Django's own
reset-confirm page). A person with a login already (same username, same email) is never added:
they are invited, by email, and join only if they accept (`joining.accept_login_invitation`).
A row that matches a login in part (its username or its email only), or a login no trainer may
invite (staff, superusers, the published demo logins, a deactivated login), is refused without
naming that login.
"""

import csv
import io
import unicodedata
from dataclasses import dataclass, field

from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models.functions import Lower
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from accounts.models import User
from lifecycle.wording import count, noun

from .mail import send_login_invitation_email, send_set_password_email
from .models import Cohort, CohortAction, JoinedBy, LoginInvitation, Membership
from .roles import is_demo_login
from .services import check_runs, lock_cohort, record

REQUIRED = ("username", "email")
OPTIONAL = ("first_name", "last_name")
MAX_ROWS = 2000
EMAIL_MAX: int = User._meta.get_field("email").max_length or 0
assert EMAIL_MAX, "the login's email field has a length limit"  # nosec B101  # read at import
FIELD_LIMIT = csv.field_size_limit()  # the csv module's own cap on one value
MAY_NOT_ADD = "the row matches an existing login that you may not add"


@dataclass(frozen=True)
class Row:
    line: int
    username: str
    email: str
    first_name: str = ""
    last_name: str = ""


@dataclass
class ImportReport:
    created: list[str] = field(default_factory=list)  # new logins, emailed
    invited: list[str] = field(default_factory=list)  # existing logins invited, by email
    skipped: list[str] = field(default_factory=list)  # already in the cohort, or invited
    errors: list[tuple[int, str]] = field(default_factory=list)  # (line, reason)

    @property
    def ok(self) -> bool:
        return not self.errors


class BadImport(Exception):
    """The file cannot be imported; `errors` lists every bad line with its reason."""

    def __init__(self, errors: list[tuple[int, str]]) -> None:
        super().__init__("; ".join(f"line {line}: {reason}" for line, reason in errors))
        self.errors = errors


def _bare_cr_line(text: str) -> int | None:
    """The line of the first carriage return not followed by a line feed, if any."""
    lines = text.replace("\r\n", "\n")
    at = lines.find("\r")
    return None if at < 0 else lines[:at].count("\n") + 1


def _csv_problem(err: csv.Error) -> str:
    if "field larger than field limit" in str(err):
        return f"a value is longer than {FIELD_LIMIT // 1024} KiB: no column takes that much"
    if "unexpected end of data" in str(err):
        return "the line cannot be read as CSV: a quote opened on it is never closed"
    return f"the line cannot be read as CSV ({err})"


def parse(text: str) -> list[Row]:
    """Every row of the file, or BadImport naming every bad line (nothing is looked up yet)."""
    text = text.lstrip("\ufeff")
    cr_line = _bare_cr_line(text)
    if cr_line is not None:
        raise BadImport(
            [
                (
                    cr_line,
                    "the line ends with a carriage return alone (an old Mac format): save the "
                    "file as “CSV UTF-8” and upload it again",
                )
            ]
        )
    reader = csv.DictReader(io.StringIO(text, newline=""), strict=True)
    try:
        fieldnames = reader.fieldnames or []
    except csv.Error as err:
        raise BadImport([(1, _csv_problem(err))]) from err
    header = [(name or "").strip().lower() for name in fieldnames]
    missing = [name for name in REQUIRED if name not in header]
    unknown = [name for name in header if name not in REQUIRED + OPTIONAL]
    twice = sorted({name for name in header if header.count(name) > 1})
    if missing or unknown or twice:
        reasons = []
        if missing:
            reasons.append(
                f"the header needs the {noun(len(missing), 'column')} {', '.join(missing)}"
            )
        if unknown:
            reasons.append(f"unknown {noun(len(unknown), 'column')} {', '.join(unknown)}")
        if twice:
            reasons.append(
                f"the {noun(len(twice), 'column')} {', '.join(twice)} "
                f"{'is' if len(twice) == 1 else 'are'} in the header more than once"
            )
        raise BadImport([(1, "; ".join(reasons))])
    reader.fieldnames = header
    rows, errors = [], []
    seen_usernames: dict[str, int] = {}
    seen_emails: dict[str, int] = {}
    username_field = User._meta.get_field("username")
    while True:
        last = reader.line_num
        try:
            raw = next(reader)
        except StopIteration:
            break
        except csv.Error as err:  # the rest of the file cannot be trusted to split into lines
            errors.append((last + 1, _csv_problem(err)))
            break
        line = reader.line_num
        if None in raw:
            errors.append((line, "the row has more values than the header has columns"))
            continue
        values = {key: (raw.get(key) or "").strip() for key in header}
        # Stored as Django stores a username typed into its forms (NFKC: “ａlice” is “alice”).
        values["username"] = unicodedata.normalize("NFKC", values["username"])
        row = Row(line=line, **values)
        reason = _row_problem(row, username_field, seen_usernames, seen_emails)
        if reason:
            errors.append((line, reason))
        else:
            rows.append(row)
        seen_usernames.setdefault(row.username.lower(), line)
        seen_emails.setdefault(row.email.lower(), line)
        if len(rows) + len(errors) > MAX_ROWS:
            errors.append((line, f"a file has at most {MAX_ROWS} rows"))
            break
    if errors:
        raise BadImport(errors)
    if not rows:
        raise BadImport([(1, "the file has a header but no rows")])
    return rows


def _row_problem(row: Row, username_field, seen_usernames, seen_emails) -> str:
    if any("\x00" in getattr(row, name) for name in REQUIRED + OPTIONAL):
        return "the row holds a NUL character (the file is not plain text)"
    if not row.username:
        return "the username is empty"
    try:
        username_field.run_validators(row.username)
    except ValidationError as err:
        return f"the username “{row.username}” is not valid: {' '.join(err.messages)}"
    if not row.email:
        return "the email is empty"
    if len(row.email) > EMAIL_MAX:
        return f"the email is longer than {EMAIL_MAX} characters"
    try:
        validate_email(row.email)
    except ValidationError:
        return f"“{row.email}” is not an email address"
    if row.username.lower() in seen_usernames:
        return f"the username “{row.username}” is on line {seen_usernames[row.username.lower()]}"
    if row.email.lower() in seen_emails:
        return f"the email {row.email} is on line {seen_emails[row.email.lower()]} already"
    for name in OPTIONAL:
        if len(getattr(row, name)) > 150:
            return f"the {name.replace('_', ' ')} is longer than 150 characters"
    return ""


def _check_against_logins(rows: list[Row]) -> tuple[dict[str, User], list[tuple[int, str]]]:
    """Existing logins by lowercased username; a row that clashes with one is an error.

    The reason never names the login the row clashes with: that is someone else's.
    """
    usernames = [r.username.lower() for r in rows]
    emails = [r.email.lower() for r in rows]
    by_username: dict[str, User] = {
        u.username.lower(): u
        for u in User.objects.annotate(key=Lower("username")).filter(key__in=usernames)
    }
    by_email = {
        u.email.lower(): u
        for u in User.objects.annotate(key=Lower("email")).filter(key__in=emails).exclude(email="")
    }
    errors = []
    for row in rows:
        user = by_username.get(row.username.lower())
        owner = by_email.get(row.email.lower())
        if user is None and owner is None:
            continue  # a new login
        if user is None or user != owner or not invitable(user):
            errors.append((row.line, MAY_NOT_ADD))
    return by_username, errors


def invitable(person: User) -> bool:
    """A login a trainer may invite: a plain, active trainee's (never staff or a demo login)."""
    return (
        person.is_active
        and not person.is_staff
        and not person.is_superuser
        and not is_demo_login(person)
    )


def import_trainees(*, actor: User | None, cohort: Cohort, text: str) -> ImportReport:
    """Import the file, or raise BadImport and import nothing."""
    rows = parse(text)
    report = ImportReport()
    with transaction.atomic():
        cohort = lock_cohort(cohort)
        check_runs(actor, cohort)
        existing, errors = _check_against_logins(rows)
        if errors:
            raise BadImport(errors)
        known = [person.pk for person in existing.values()]
        members = set(
            Membership.objects.filter(cohort=cohort, trainee__in=known).values_list(
                "trainee_id", flat=True
            )
        )
        invited = set(
            LoginInvitation.objects.filter(
                cohort=cohort, person__in=known, answered_at__isnull=True
            ).values_list("person_id", flat=True)
        )
        for row in rows:
            person = existing.get(row.username.lower())
            if person is not None and person.pk in members | invited:
                report.skipped.append(row.username)
            elif person is not None:
                LoginInvitation.objects.create(cohort=cohort, person=person, invited_by=actor)
                report.invited.append(person.username)
                transaction.on_commit(_inviter(person, cohort, actor))
            else:
                person = User(
                    username=row.username,
                    email=row.email,
                    first_name=row.first_name,
                    last_name=row.last_name,
                )
                person.set_unusable_password()  # until they set one through the email's link
                person.save()
                report.created.append(row.username)
                transaction.on_commit(_emailer(person, cohort))
                Membership.objects.create(cohort=cohort, trainee=person, joined_by=JoinedBy.IMPORT)
        if report.created or report.invited:
            record(
                actor=actor,
                cohort=cohort,
                action=CohortAction.IMPORT,
                subject=count(len(report.created), "new trainee")
                + (f", {count(len(report.invited), 'login')} invited" if report.invited else ""),
                params={
                    "created": report.created,
                    "invited": report.invited,
                    "skipped": len(report.skipped),
                },
            )
    return report


def _inviter(person: User, cohort: Cohort, trainer: User | None):
    def send() -> None:
        send_login_invitation_email(person=person, cohort=cohort, trainer=trainer)

    return send


def _emailer(person: User, cohort: Cohort):
    def send() -> None:
        uid = urlsafe_base64_encode(force_bytes(person.pk))
        send_set_password_email(
            person=person, cohort=cohort, uid=uid, token=default_token_generator.make_token(person)
        )

    return send
