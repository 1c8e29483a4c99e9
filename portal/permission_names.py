"""Japanese names for the default permissions (「Can add 研修」 → 「研修を追加できる」) and the models behind them.

Django names the add/change/delete/view permissions in English when it creates them (after
every migrate and flush); the administrator reads these names on the user and group pages.
name_permissions_in_japanese() runs after Django's own post_migrate handler, and
name_history_tables() names simple-history's many-to-many tables (both from PortalConfig.ready).
"""

from django.conf import settings
from django.utils import translation

ACTIONS = {"add": "追加", "change": "変更", "delete": "削除", "view": "閲覧"}


def japanese_permission_name(action, verbose_name):
    """Return 「<verbose_name>を<追加/変更/削除/閲覧>できる」, cut to the 255 characters of Permission.name."""
    return f"{verbose_name}を{ACTIONS[action]}できる"[:255]


def model_name(model):
    """Return the model's verbose name; for simple-history's tables of many-to-many changes, one in Japanese.

    Those tables (HistoricalApproachCase_schemes) are named in English by the library: they are
    named after their record's history and field instead (「事例の変更履歴（活用した制度）」).
    """
    name = str(model._meta.verbose_name)
    if not name.isascii():
        return name
    try:
        history = model._meta.get_field("history").related_model
        field = history.instance_type._meta.get_field(model.__name__.split("_", 1)[1])
    except (LookupError, AttributeError, IndexError):  # FieldDoesNotExist is a LookupError
        return name
    return f"{history._meta.verbose_name}（{field.verbose_name}）"


def name_history_tables():
    """Give simple-history's many-to-many change tables Japanese verbose names; return the models renamed."""
    from django.apps import apps

    renamed = []
    for model in apps.get_models():
        name = model_name(model)
        if name != str(model._meta.verbose_name):
            model._meta.verbose_name = model._meta.verbose_name_plural = name
            renamed.append(model)
    return renamed


def name_permissions_in_japanese(sender=None, using="default", **kwargs):
    """Rename the default permissions of every installed model in Japanese; return how many were renamed.

    As a post_migrate receiver it acts once, on the last app's signal (portal), when every
    app's permissions exist. Custom permissions (already named in Japanese) are left alone.
    """
    if sender is not None and sender.label != "portal":
        return 0
    from django.contrib.auth.models import Permission

    renamed = []
    # migrate runs without translations; the model names are wanted in the site's language.
    with translation.override(settings.LANGUAGE_CODE):
        for permission in Permission.objects.using(using).select_related("content_type"):
            model = permission.content_type.model_class()
            action = permission.codename.split("_", 1)[0]
            if model is None or action not in ACTIONS or permission.codename != f"{action}_{model._meta.model_name}":
                continue
            name = japanese_permission_name(action, model_name(model))
            if permission.name != name:
                permission.name = name
                renamed.append(permission)
    Permission.objects.using(using).bulk_update(renamed, ["name"])
    return len(renamed)
