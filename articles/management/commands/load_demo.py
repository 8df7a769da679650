from django.core.management.base import BaseCommand

from articles.demo import loader


class Command(BaseCommand):
    help = "Create or reset the demo content (the seed article and what it links to)."

    def handle(self, *args, **options):
        def report(article):
            self.stdout.write(f"Loaded “{article.headline}” at {article.get_absolute_url()}")

        loader.load(report)
