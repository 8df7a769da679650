"""The photo library: images and their stored renditions.

The library knows nothing of articles: articles point at images (a lead image, a figure, a
portrait), and ask which of them show an image (Article.objects.showing_image()).
articles/models.py imports these models, so Django registers them with the articles app.

An original is kept as uploaded under ``originals/`` (its camera metadata included, so it
is never linked from public pages); everything readers get is a rendition under
``renditions/``, made when the image is saved (encoding.py does the Pillow work).
"""

import logging
import secrets
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import IntegrityError, models, transaction
from django.db.models import Prefetch
from django.db.models.signals import post_delete
from django.dispatch import receiver
from django.utils import timezone
from django.utils.text import slugify

from . import encoding
from .encoding import MIME_TYPES, SPECS

logger = logging.getLogger(__name__)

MISSING_ALT_TEXT = (
    "“%(image)s” has no alt text, so the article can't be published. Add alt text to the "
    "image in the photo library (what the picture shows, for readers who can't see it), "
    "or choose another image."
)


def original_upload_to(image, filename):
    """originals/2024/05/soyuz-landing-3f9a2c1b7d4e8a60.jpg: readable, unique, unguessable."""
    path = Path(filename)
    stem = slugify(path.stem)[:60].strip("-") or "image"
    now = timezone.now()
    return f"originals/{now:%Y/%m}/{stem}-{secrets.token_hex(8)}{path.suffix.lower()}"


def validate_image_upload(file):
    # A stored original was checked when it was uploaded.
    if getattr(file, "_committed", False):
        return
    encoding.inspect_upload(file)


def renditions_of(*specs):
    """Renditions of the given specs, for Prefetch() querysets."""
    return Rendition.objects.filter(spec__in=specs)


class ImageQuerySet(models.QuerySet):
    def with_thumbnails(self):
        """The small uncropped JPEGs the admin shows, fetched in one query."""
        return self.prefetch_related(
            Prefetch("renditions", queryset=renditions_of("figure").filter(format="JPEG"))
        )


class Image(models.Model):
    # A FileField with our own checks rather than an ImageField: the editor gets a specific
    # message for each refusal (SVG, damaged, too many pixels), not "upload a valid image".
    file = models.FileField(
        upload_to=original_upload_to,
        max_length=255,
        validators=[validate_image_upload],
        help_text="A JPEG, PNG, WebP, AVIF or GIF photo. Readers get resized copies without "
        "its camera data; the original is kept as uploaded.",
    )
    title = models.CharField(
        max_length=200, help_text="For finding the image in the library; readers don't see it."
    )
    alt_text = models.CharField(
        "alt text",
        max_length=300,
        blank=True,
        help_text="What the picture shows, for readers who can't see it, in a sentence. "
        "Required before an article with this image can be published.",
    )
    caption = models.TextField(
        blank=True,
        help_text="Shown under the image: what, where, when. An article may use its own caption.",
    )
    credit = models.CharField(
        max_length=200,
        blank=True,
        help_text="Shown with the image, e.g. “NASA/Bill Ingalls” or “Illustration: Newsroom”.",
    )
    source = models.CharField(
        "source or licence",
        max_length=300,
        blank=True,
        help_text="Where it comes from and on what terms, e.g. “NASA, public domain” or "
        "“Reuters, licensed”. For editors; not shown.",
    )
    focal_x = models.FloatField(
        default=0.5,
        validators=[MinValueValidator(0), MaxValueValidator(1)],
        help_text="The point crops keep in view, from the left edge (0) to the right (1).",
    )
    focal_y = models.FloatField(
        default=0.5,
        validators=[MinValueValidator(0), MaxValueValidator(1)],
        help_text="The point crops keep in view, from the top (0) to the bottom (1).",
    )
    # As the picture is seen, after its EXIF orientation; read from the file on upload.
    width = models.PositiveIntegerField(editable=False)
    height = models.PositiveIntegerField(editable=False)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="images_uploaded",
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    objects = ImageQuerySet.as_manager()

    class Meta:
        ordering = ["-uploaded_at", "-id"]
        indexes = [models.Index(fields=["-uploaded_at", "-id"], name="image_library_idx")]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        # "Has alt text" is `alt_text != ""` everywhere: spaces alone are none.
        self.alt_text = self.alt_text.strip()
        replaced = self._prepare_new_file()
        try:
            with transaction.atomic():
                super().save(*args, **kwargs)
                self.make_renditions()
        except Exception:
            # Nothing half-saved: the transaction drops the row, this drops the new file.
            if replaced is not None and self.file._committed:
                self.file.storage.delete(self.file.name)
            raise
        if replaced:
            delete_file_on_commit(self.file.storage, replaced)

    def _prepare_new_file(self):
        """Read a new upload's size and give it its format's extension; return the old name."""
        if not self.file or self.file._committed:
            return None
        image_format, self.width, self.height = encoding.inspect_upload(self.file)
        stem = Path(self.file.name).stem
        self.file.name = f"{stem}.{encoding.UPLOAD_FORMATS[image_format]}"
        if self.pk is None:
            return ""
        return Image.objects.filter(pk=self.pk).values_list("file", flat=True).first() or ""

    def source_key(self, spec):
        return encoding.source_key(spec, self.file.name, self.focal_x, self.focal_y)

    def make_renditions(self):
        """Make the renditions this image lacks, drop those made from an older crop; idempotent."""
        wanted = {
            (spec.name, image_format, width, height, self.source_key(spec))
            for spec in SPECS.values()
            for width, height in encoding.planned_sizes(spec, self.width, self.height)
            for image_format in encoding.writable_formats(spec)
        }
        existing = {rendition.identity: rendition for rendition in self.renditions.all()}
        stale = [rendition for identity, rendition in existing.items() if identity not in wanted]
        missing = {identity[0] for identity in wanted - existing.keys()}
        if stale:
            Rendition.objects.filter(pk__in=[rendition.pk for rendition in stale]).delete()
        if missing:
            self._write_renditions([SPECS[name] for name in sorted(missing)])
        if hasattr(self, "_prefetched_objects_cache"):
            self._prefetched_objects_cache.pop("renditions", None)
        return len(missing)

    def _write_renditions(self, specs):
        storage = Rendition._meta.get_field("file").storage
        # Made from the stored original, exactly what later saves will read.
        with self.file.storage.open(self.file.name, "rb") as original:
            source = encoding.open_original(original)
        written, rows = [], []
        try:
            for spec in specs:
                key = self.source_key(spec)
                # A spec with anything missing is remade whole: its sizes come as a set.
                Rendition.objects.filter(image=self, spec=spec.name).delete()
                for image_format, width, height, data in encoding.encode_renditions(
                    source, spec, self.focal_x, self.focal_y
                ):
                    name = self._rendition_name(spec, width, image_format, key)
                    name = storage.save(name, ContentFile(data))
                    written.append(name)
                    rows.append(
                        Rendition(
                            image=self,
                            spec=spec.name,
                            format=image_format,
                            width=width,
                            height=height,
                            file=name,
                            size=len(data),
                            source_key=key,
                        )
                    )
            Rendition.objects.bulk_create(rows)
        except Exception:
            for name in written:
                storage.delete(name)
            raise
        logger.info("Made %d renditions of image %s (%s).", len(rows), self.pk, self)

    def _rendition_name(self, spec, width, image_format, key):
        stem = slugify(self.title)[:50].strip("-") or "image"
        extension = encoding.EXTENSIONS[image_format]
        return f"renditions/{self.pk}/{stem}-{spec.name}-{width}w-{key}.{extension}"

    def renditions_for(self, spec_name):
        """This image's current renditions for one use, from those the page prefetched."""
        spec = SPECS[spec_name]
        key = self.source_key(spec)
        found = [r for r in self.renditions.all() if r.spec == spec.name and r.source_key == key]
        if not found and self.file:
            # First use of an image saved before its renditions existed (a new spec, an
            # import): made now, once, and stored. Pages that prefetched never get here.
            try:
                with transaction.atomic():
                    self.make_renditions()
            except IntegrityError:
                pass  # Another request made them at the same moment: read theirs.
            except Exception:
                # The original is gone from the storage, say: a reader's page goes out
                # without this photo rather than not at all.
                logger.exception("Couldn't make the renditions of image %s (%s).", self.pk, self)
                return []
            found = list(Rendition.objects.filter(image=self, spec=spec.name, source_key=key))
        return sorted(found, key=lambda rendition: (rendition.width, rendition.format))

    def picture(self, spec_name, alt=None, sizes=None):
        """What <picture> needs for one use of the image, or None if it has no renditions."""
        spec = SPECS[spec_name]
        found = self.renditions_for(spec_name)
        jpegs = [rendition for rendition in found if rendition.format == "JPEG"]
        if not jpegs:
            return None
        fallback = min(jpegs, key=lambda rendition: abs(rendition.width - spec.fallback_width))
        sources = [
            {"type": MIME_TYPES[image_format], "srcset": srcset(found, image_format)}
            for image_format in spec.formats
            if image_format != "JPEG" and any(r.format == image_format for r in found)
        ]
        return Picture(
            alt=self.alt_text if alt is None else alt,
            src=fallback.url,
            srcset=srcset(found, "JPEG"),
            sizes=sizes or spec.sizes,
            width=fallback.width,
            height=fallback.height,
            sources=sources,
        )

    def rendition(self, spec_name, image_format="JPEG", max_width=None):
        """The largest rendition of one use in one format, up to `max_width` wide."""
        found = [
            rendition
            for rendition in self.renditions_for(spec_name)
            if rendition.format == image_format and (not max_width or rendition.width <= max_width)
        ]
        return found[-1] if found else None


def srcset(found, image_format):
    return ", ".join(f"{r.url} {r.width}w" for r in found if r.format == image_format)


@dataclass
class Picture:
    alt: str
    src: str
    srcset: str
    sizes: str
    width: int
    height: int
    sources: list


class Rendition(models.Model):
    """One stored crop, size and format of an image, made from `source_key`."""

    class Format(models.TextChoices):
        AVIF = "AVIF", "AVIF"
        WEBP = "WEBP", "WebP"
        JPEG = "JPEG", "JPEG"

    image = models.ForeignKey(Image, on_delete=models.CASCADE, related_name="renditions")
    spec = models.CharField(max_length=20)
    format = models.CharField(max_length=10, choices=Format)
    width = models.PositiveIntegerField()
    height = models.PositiveIntegerField()
    file = models.FileField(max_length=255)
    # In bytes: feeds give it as the enclosure's length without asking the storage.
    size = models.PositiveIntegerField()
    source_key = models.CharField(max_length=16)

    class Meta:
        ordering = ["spec", "width", "format"]
        constraints = [
            models.UniqueConstraint(
                fields=["image", "spec", "format", "width"], name="rendition_once"
            ),
        ]

    def __str__(self):
        return f"{self.spec} {self.width}×{self.height} {self.format}"

    @property
    def identity(self):
        return (self.spec, self.format, self.width, self.height, self.source_key)

    @property
    def url(self):
        return self.file.url

    @property
    def mime_type(self):
        return MIME_TYPES[self.format]


def delete_file_on_commit(storage, name):
    # Once the deletion is sure: a rolled-back transaction still needs the file.
    if name:
        transaction.on_commit(lambda: storage.delete(name))


@receiver(post_delete, sender=Image, dispatch_uid="image-delete-original")
def delete_original(sender, instance, **kwargs):
    delete_file_on_commit(instance.file.storage, instance.file.name)


@receiver(post_delete, sender=Rendition, dispatch_uid="rendition-delete-file")
def delete_rendition_file(sender, instance, **kwargs):
    delete_file_on_commit(instance.file.storage, instance.file.name)
