"""Who may register learning platforms: support staff given this right on its own."""

from django.contrib.auth.models import Group, Permission

PLATFORM_ADMINS_GROUP = "Learning platform admins"
MANAGE_PLATFORMS = "lti.manage_platforms"


def ensure_platform_admins_group(**kwargs) -> Group:
    """After every `migrate`: the group holds exactly the right to register platforms. A support
    agent added to it (as well as to Support staff) registers platforms in the admin."""
    group, _ = Group.objects.get_or_create(name=PLATFORM_ADMINS_GROUP)
    group.permissions.set(
        Permission.objects.filter(content_type__app_label="lti", codename="manage_platforms")
    )
    return group


def manages_platforms(user) -> bool:
    return bool(user.is_active and user.is_staff and user.has_perm(MANAGE_PLATFORMS))
