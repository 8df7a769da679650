from django.core.management.base import BaseCommand

from articles.delivery import rendered, validators


class Command(BaseCommand):
    help = (
        "Render every article whose stored HTML is missing or was made by other templates, "
        "code or settings. Pages do it for the articles they show; this does them all at "
        "once (after a deploy that changes templates, or when a database is imported)."
    )

    def handle(self, *args, **options):
        def progress(done, total):
            self.stdout.write(f"\rRendered {done}/{total}", ending="")
            self.stdout.flush()

        count = rendered.store_all(progress=progress if options["verbosity"] else None)
        if count:
            self.stdout.write("")
            validators.move_generation()
        self.stdout.write(f"Rendered {count} article(s).")
