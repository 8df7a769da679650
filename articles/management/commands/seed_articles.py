import time

from django.core.management.base import BaseCommand, CommandError

from articles.demo import seed


class Command(BaseCommand):
    help = (
        "Create realistic published articles in bulk from the demo article (varied headlines, "
        "dates over five years, categories, tags, authors, quotes, More-on links), for load "
        "tests. --clear removes what it created, and nothing else."
    )

    def add_arguments(self, parser):
        parser.add_argument("--count", type=int, default=0, help="How many articles to create.")
        parser.add_argument(
            "--clear", action="store_true", help="First remove every article this command made."
        )
        parser.add_argument(
            "--random-seed", type=int, default=0, help="Seed of the random choices (default 0)."
        )
        parser.add_argument("--batch-size", type=int, default=1000)

    def handle(self, *args, count, clear, random_seed, batch_size, **options):
        if count < 0 or batch_size < 1:
            raise CommandError("Give a --count of 0 or more and a --batch-size of 1 or more.")
        if not count and not clear:
            raise CommandError("Nothing to do: give --count N, --clear, or both.")
        if clear:
            started = time.monotonic()
            removed = seed.clear()
            self.stdout.write(f"Removed {removed:,} seeded articles in {_since(started)}.")
        if count:
            started = time.monotonic()
            seeder = seed.Seeder(
                seed=random_seed,
                batch_size=batch_size,
                progress=ProgressBar("Seeding", self.stderr),
            )
            seeder.create(count)
            self.stdout.write(f"Created {count:,} articles in {_since(started)}.")


def _since(started):
    return f"{time.monotonic() - started:.1f} s"


class ProgressBar:
    """A textual progress bar: redrawn in place on a terminal, a line per tenth elsewhere."""

    WIDTH = 30

    def __init__(self, label, stream):
        self.label = label
        self.stream = stream
        self.started = time.monotonic()
        self.is_terminal = stream.isatty()
        self.tenths_shown = -1

    def __call__(self, done, total):
        filled = self.WIDTH * done // total
        bar = "#" * filled + "." * (self.WIDTH - filled)
        line = f"{self.label} [{bar}] {done:,}/{total:,} {time.monotonic() - self.started:.0f} s"
        if self.is_terminal:
            self.stream.write("\r" + line, ending="\n" if done >= total else "")
        elif 10 * done // total > self.tenths_shown:
            self.tenths_shown = 10 * done // total
            self.stream.write(line)
        self.stream.flush()
