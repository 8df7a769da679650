"""A system check: how many articles have stored parts made by other templates or code.

Pages render those when they are first shown, and store them, so nothing breaks; but
until then they are served at the speed of a live render. `manage.py check --database
default` (and `migrate`) report it, with the command that catches up at once.
"""

from django.core.checks import Tags, Warning, register
from django.db import DatabaseError

from . import rendered


@register(Tags.database)
def stale_parts_check(app_configs, databases=None, **kwargs):
    if not databases:
        return []
    try:
        stale = rendered.stale_count()
    except DatabaseError:
        # Before the first migration there is nothing to count.
        return []
    if not stale:
        return []
    return [
        Warning(
            f"{stale} article(s) have no stored parts from the running templates and code; "
            "pages render each of them once, when it is first shown.",
            hint="Run `manage.py render_articles` to render them all now.",
            id="articles.W001",
        )
    ]
