"""The "Support staff" group: what a support agent may see and do in the admin panel."""

from django.contrib.auth.models import Group, Permission
from django.db.models import Q

SUPPORT_GROUP = "Support staff"
SUPPORT_APPS = ("accounts", "shops", "lifecycle", "rewind")
# The admin actions of the support whitelist, each calling one lifecycle service.
SUPPORT_ACTIONS = (
    ("accounts", "advance_clock_sandbox"),
    ("accounts", "run_due_work_sandbox"),
    ("accounts", "reset_demo_sandbox"),
    ("accounts", "deactivate_selleraccount"),
    ("accounts", "reactivate_selleraccount"),
    ("accounts", "cancel_deletion_selleraccount"),
    ("shops", "unlink_shop"),
    # The overrides, each its own right.
    ("accounts", "resend_confirmation_selleraccount"),
    ("accounts", "retry_export_selleraccount"),
    ("shops", "override_unlink_limits_shop"),
    # Internal notes on the case page.
    ("lifecycle", "add_supportnote"),
    # Restoring a sandbox's checkpoint, with a reason (rewind).
    ("rewind", "restore_checkpoint"),
)
# Sign-in lockouts (django-axes): see who is paused, and lift a pause by deleting its record.
SUPPORT_LOCKOUTS = (
    ("axes", "view_accessattempt"),
    ("axes", "delete_accessattempt"),
)


def ensure_support_group(**kwargs) -> Group:
    """Create or refresh the group: view every simulator model, the whitelisted actions, and
    the sign-in lockouts.

    Runs after every `migrate` (post_migrate), once the permissions themselves exist.
    """
    group, _ = Group.objects.get_or_create(name=SUPPORT_GROUP)
    actions = Q()
    for app, codename in SUPPORT_ACTIONS + SUPPORT_LOCKOUTS:
        actions |= Q(content_type__app_label=app, codename=codename)
    views = Q(content_type__app_label__in=SUPPORT_APPS, codename__startswith="view_")
    group.permissions.set(Permission.objects.filter(views | actions))
    return group
