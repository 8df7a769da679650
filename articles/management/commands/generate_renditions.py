from django.core.management.base import BaseCommand

from articles.photos.models import Image


class Command(BaseCommand):
    help = (
        "Make the renditions the library's images lack and drop outdated ones: after a new "
        "spec or encoder setting (articles/photos/encoding.py), or an import. Safe to repeat."
    )

    def handle(self, *args, **options):
        images = remade = 0
        for image in Image.objects.prefetch_related("renditions").iterator(chunk_size=100):
            specs = image.make_renditions()
            images += bool(specs)
            remade += specs
        self.stdout.write(f"Remade {remade} rendition set(s) of {images} image(s).")
