from django.core.management.base import BaseCommand

from articles import rendering


class Command(BaseCommand):
    help = (
        "Render every article whose stored HTML is missing or was made by other templates, "
        "code or settings. Saving keeps it current: run this after deploying a release, "
        "and once after migrating a database that already has articles."
    )

    def handle(self, *args, **options):
        def progress(done, total):
            self.stdout.write(f"\rRendered {done}/{total}", ending="")
            self.stdout.flush()

        count = rendering.refresh_all(progress=progress if options["verbosity"] else None)
        if count:
            self.stdout.write("")
        self.stdout.write(f"Rendered {count} article(s).")
