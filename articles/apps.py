from django.apps import AppConfig


class ArticlesConfig(AppConfig):
    name = "articles"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # Signal receivers: keep derived data (freshness for HTTP caching,
        # search documents, the page cache's generation, rendered articles) current
        # on every write path, not only the admin's.
        from . import freshness, page_cache, rendering, search  # noqa: F401
