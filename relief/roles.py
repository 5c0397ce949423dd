"""Each role is a Django group with the permissions the admin checks; ``User.role`` decides the group."""

from django.contrib.auth.models import Group, Permission

VIEW, ADD, CHANGE = "view", "add", "change"

# (app_label, model) → actions, per role. Nobody but an administrator deletes anything.
ROLE_PERMISSIONS = {
    "district_staff": {
        ("relief", "campaign"): {VIEW},
        ("relief", "ward"): {VIEW},
        ("relief", "district"): {VIEW},
        ("relief", "bag"): {VIEW},
        ("relief", "allocation"): {VIEW, ADD},
        ("relief", "wardrequest"): {VIEW, CHANGE},
        ("relief", "distribution"): {VIEW},
        ("households", "household"): {VIEW, ADD, CHANGE},
        ("households", "category"): {VIEW},
        ("donations", "donor"): {VIEW, ADD, CHANGE},
        ("donations", "donation"): {VIEW, ADD},
        ("donations", "bagfunding"): {VIEW},
    },
    "ward_officer": {
        ("relief", "campaign"): {VIEW},
        ("relief", "bag"): {VIEW},
        ("relief", "wardrequest"): {VIEW, ADD},
        ("relief", "distribution"): {VIEW},
        ("households", "household"): {VIEW, ADD, CHANGE},
        ("households", "category"): {VIEW},
    },
    "leader": {
        ("relief", "campaign"): {VIEW},
        ("relief", "ward"): {VIEW},
        ("relief", "district"): {VIEW},
        ("relief", "bag"): {VIEW},
        ("relief", "allocation"): {VIEW},
        ("relief", "wardrequest"): {VIEW},
        ("relief", "distribution"): {VIEW},
        ("households", "category"): {VIEW},
        ("donations", "donor"): {VIEW},
        ("donations", "donation"): {VIEW},
    },
}

GROUP_NAMES = {
    "admin": "Quản trị",
    "district_staff": "Cán bộ đơn vị tổ chức",
    "ward_officer": "Cán bộ đơn vị nhận",
    "leader": "Lãnh đạo",
}


def ensure_role_groups(**kwargs):
    """Create or refresh the four groups; run after every migrate so new models get their permissions."""
    for role, name in GROUP_NAMES.items():
        group, _ = Group.objects.get_or_create(name=name)
        if role == "admin":
            permissions = Permission.objects.filter(content_type__app_label__in=["relief", "households", "donations"])
        else:
            wanted = ROLE_PERMISSIONS[role]
            codenames = [f"{action}_{model}" for (_, model), actions in wanted.items() for action in actions]
            permissions = Permission.objects.filter(
                content_type__app_label__in={app for app, _ in wanted}, codename__in=codenames
            )
        group.permissions.set(permissions)


def group_for(role):
    name = GROUP_NAMES.get(role)
    return Group.objects.get_or_create(name=name)[0] if name else None
