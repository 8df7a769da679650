from django.apps import AppConfig


class ArticlesConfig(AppConfig):
    name = "articles"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # Derived data (stored parts, search documents, the validators) is kept current on
        # every write path, not only the admin's, from the one change map. It also registers
        # the article's revisions, before the admin (after this app in INSTALLED_APPS)
        # would register them itself.
        from . import desk
        from .delivery import changes, checks  # noqa: F401

        changes.connect()
        desk.connect()
