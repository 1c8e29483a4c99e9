"""The three staff roles (Django groups) and exactly which permissions each one holds.

The groups are created by the data migration portal/0002_roles and can be put back to this
definition at any time with `manage.py setup_roles`. README "Roles and permissions" shows the
same table. Members need `is_staff` to log in (`manage.py grant_role` sets both).
"""

DATA_ENTRY = "入力担当"
MANAGER = "管理職"
ADMINISTRATOR = "システム管理者"
ROLES = (DATA_ENTRY, MANAGER, ADMINISTRATOR)
# English names accepted on the command line.
ROLE_ALIASES = {"data-entry": DATA_ENTRY, "manager": MANAGER, "administrator": ADMINISTRATOR}

DASHBOARD_PERMISSION = "portal.view_dashboard"
# Approve a fiscal year's public figures (決裁): managers only (portal.services.publish_fiscal_year).
# Granted by migration portal/0003_publication.
PUBLISH_PERMISSION = "portal.publish_fiscal_year"

# Every model of the record apps. tests/portal/test_roles.py checks that no admin model is missing,
# so a new model gets a conscious decision here.
RECORD_MODELS = {
    "partners": ["ward", "bureau", "organization", "collaboration"],
    "trainings": [
        "trainingcategory",
        "trainingsession",
        "attendancesheet",
        "attendance",
        "reportedfigure",
        "headermapping",
    ],
    "outreach": ["scheme", "approachcase", "caseevent", "achievement", "planitem", "planitemstatus"],
}
# What data-entry staff keep up to date: full rights (delete too, to correct mistakes; records
# still referenced elsewhere are protected by the database).
DATA_ENTRY_EDITS = {
    "partners": ["organization", "collaboration"],
    "trainings": ["trainingsession", "attendance"],
    "outreach": ["scheme", "approachcase", "caseevent", "achievement", "planitem", "planitemstatus"],
}
# Reference lists data-entry staff may extend (a new bureau, a new category) but not delete.
DATA_ENTRY_EXTENDS = {"partners": ["bureau"], "trainings": ["trainingcategory"]}


def _perms(models_by_app, actions):
    """Return ["app.action_model", …] for every model of `models_by_app` and every action."""
    return [f"{app}.{act}_{model}" for app, models in models_by_app.items() for model in models for act in actions]


VIEW_RECORDS = _perms(RECORD_MODELS, ["view"])

ROLE_PERMISSIONS = {
    DATA_ENTRY: sorted(
        {
            *VIEW_RECORDS,
            *_perms(DATA_ENTRY_EDITS, ["add", "change", "delete"]),
            *_perms(DATA_ENTRY_EXTENDS, ["add", "change"]),
            # Import sheets, and undo an import by deleting its sheet record (the deletion is in the history).
            "trainings.import_attendancesheet",
            "trainings.delete_attendancesheet",
            # The columns they chose for unknown headers (見出しの対応) are made by importing; a wrong
            # one is removed (the next sheet with that header asks again).
            "trainings.delete_headermapping",
            # The dashboard's data-quality panel lists the records to correct.
            DASHBOARD_PERMISSION,
        }
    ),
    MANAGER: sorted({*VIEW_RECORDS, DASHBOARD_PERMISSION, PUBLISH_PERMISSION}),
    ADMINISTRATOR: sorted(
        {
            *VIEW_RECORDS,
            DASHBOARD_PERMISSION,
            *_perms({"auth": ["user", "group"]}, ["add", "change", "delete", "view"]),
            "auth.view_permission",
            # Login protection (django-axes): see locked-out attempts and lift a lock by deleting it.
            "axes.view_accessattempt",
            "axes.delete_accessattempt",
            "axes.view_accesslog",
            "axes.view_accessfailurelog",
        }
    ),
}


def _model_exists(apps, perm):
    """Return True when the model a permission "app.action_model" is about exists in `apps`."""
    app_label, codename = perm.split(".")
    try:
        apps.get_model(app_label, codename.split("_", 1)[1])
    except LookupError:
        return False
    return True


def sync_roles(apps, *, later_models_ok=False):
    """Create the role groups if missing and give each exactly its ROLE_PERMISSIONS; return the groups.

    `apps` is an app registry (the migration's, or django.apps.apps). Raises LookupError naming
    any permission that does not exist, so that a typo cannot silently drop a right. An early
    migration passes `later_models_ok`: the rights over models a later migration creates are left
    out without error (that later migration syncs the roles again, strictly).
    """
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    wanted = {perm for perms in ROLE_PERMISSIONS.values() for perm in perms}
    found = {
        f"{app_label}.{codename}": pk
        for pk, app_label, codename in Permission.objects.filter(
            content_type__app_label__in={perm.split(".")[0] for perm in wanted}
        ).values_list("pk", "content_type__app_label", "codename")
    }
    missing = sorted(wanted - found.keys())
    if later_models_ok:
        missing = [perm for perm in missing if _model_exists(apps, perm)]
    if missing:
        raise LookupError(f"permissions not found: {', '.join(missing)}")
    groups = []
    for name, perms in ROLE_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.set([found[perm] for perm in perms if perm in found])
        groups.append(group)
    return groups


def create_all_permissions(apps):
    """Create the content types and permissions of every app now (normally done after migrate)."""
    from django.contrib.auth.management import create_permissions

    for app_config in apps.get_app_configs():
        # The migration registry's app configs have no models module, and create_permissions skips
        # those: lend one for the call, and give back what was there (a real app config keeps its own).
        models_module = getattr(app_config, "models_module", None)
        app_config.models_module = models_module or True
        try:
            create_permissions(app_config, apps=apps, verbosity=0)
        finally:
            app_config.models_module = models_module
