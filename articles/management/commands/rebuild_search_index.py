from django.core.management.base import BaseCommand

from articles import search


class Command(BaseCommand):
    help = (
        "Rebuild the search document of every article. Saving keeps it current: run this "
        "once after migrating a database that already has articles, or to repair the index."
    )

    def handle(self, *args, **options):
        count = search.rebuild()
        self.stdout.write(f"Rebuilt the search index: {count} article(s).")
