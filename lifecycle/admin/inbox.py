"""The sandboxes' inboxes and the staff's internal notes in the admin: both only looked at."""

from django.contrib import admin
from django.utils.html import format_html_join

from lifecycle.models import InboxMessage, SupportNote
from lifecycle.redaction import redact

from .base import ViewOnlyAdmin, sandbox_time_column


@admin.register(SupportNote)
class SupportNoteAdmin(ViewOnlyAdmin):
    """Internal notes: written from the case page, never edited or removed."""

    list_display = ("__str__", "account", "written_at", "text")
    search_fields = ("text", "author_label", "account__display_name")
    list_select_related = ("account",)
    exclude = ("author",)


@admin.register(InboxMessage)
class InboxMessageAdmin(ViewOnlyAdmin):
    list_display = (
        "subject",
        "sandbox",
        "account",
        "kind",
        "to",
        sandbox_time_column("sent_at", "Sent"),
        sandbox_time_column("read_at", "Read"),
    )
    list_filter = ("kind",)
    search_fields = ("subject", "to", "sandbox__name")
    list_select_related = ("sandbox", "account")
    # The confirmation link's token is the owner's alone: staff see the links with it hidden.
    fields = (
        "sandbox",
        "account",
        "kind",
        "to",
        "subject",
        "body_shown",
        "links_shown",
        "sent_at",
        "read_at",
    )
    readonly_fields = ("body_shown", "links_shown")

    @admin.display(description="Body")
    def body_shown(self, message: InboxMessage) -> str:
        return redact(message.body)

    @admin.display(description="Links")
    def links_shown(self, message: InboxMessage) -> str:
        return format_html_join(
            "",
            "<div>{}: {}</div>",
            (
                (link.get("label", ""), redact(str(link.get("url", ""))))
                if isinstance(link, dict)
                else ("", redact(str(link)))
                for link in message.links or []
            ),
        )
