from django.core.management.base import BaseCommand

from articles import search
from articles.delivery import validators


class Command(BaseCommand):
    help = (
        "Rebuild the search document of every article. Saving keeps it current: run this "
        "once after migrating a database that already has articles, or to repair the index."
    )

    def handle(self, *args, **options):
        count = search.rebuild()
        # Search pages cached before now may show what the rebuild changed.
        validators.move_generation()
        self.stdout.write(f"Rebuilt the search index: {count} article(s).")
