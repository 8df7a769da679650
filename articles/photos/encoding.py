"""Renditions: the crops, sizes and formats an image is shown in, made with Pillow.

Each *spec* is one use of an image on the site: an article's lead, a listing card, the social
card, a figure in the text, an author's avatar. A spec names the shape the image is cropped to
around its focal point, the widths browsers choose from (srcset) and the formats (AVIF and
WebP, with a JPEG fallback). Renditions are made when an image is saved and stored
(models.py); reader requests only read them.

This module knows Pillow and nothing of the database: it checks uploads and turns an
original into encoded bytes.
"""

import hashlib
import io
import warnings
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from PIL import ExifTags, ImageCms, ImageOps, UnidentifiedImageError, features
from PIL import Image as PILImage

# Formats an editor may upload, with the extension the stored original gets.
UPLOAD_FORMATS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp", "AVIF": "avif", "GIF": "gif"}

MIME_TYPES = {"AVIF": "image/avif", "WEBP": "image/webp", "JPEG": "image/jpeg"}
EXTENSIONS = {"AVIF": "avif", "WEBP": "webp", "JPEG": "jpg"}
# Visually close at these settings; AVIF's speed 8 encodes about 3x faster than its default
# for a few percent more bytes, which keeps an upload's renditions to a second or two.
ENCODER_OPTIONS = {
    "AVIF": {"quality": 55, "speed": 8},
    "WEBP": {"quality": 78, "method": 4},
    "JPEG": {"quality": 82, "optimize": True, "progressive": True},
}
# Part of every rendition's key: bump it after changing the encoders or the crops, then run
# `manage.py generate_renditions` to remake them all.
VERSION = 1

# Orientations (EXIF tag 274) that turn the picture a quarter turn.
QUARTER_TURNS = {5, 6, 7, 8}

SRGB = ImageCms.createProfile("sRGB")


@dataclass(frozen=True)
class Spec:
    name: str
    # Width / height of the crop; None keeps the image's own shape (no crop).
    ratio: float | None
    widths: tuple
    # The layout width, for the `sizes` attribute; templates may pass another.
    sizes: str
    # The <img src> for browsers without srcset: the rendition closest to this width.
    fallback_width: int
    formats: tuple = ("AVIF", "WEBP", "JPEG")

    @property
    def is_cropped(self):
        return self.ratio is not None


SPECS = {
    spec.name: spec
    for spec in [
        # The article page's lead image: the text column, 40rem.
        Spec(
            "lead",
            3 / 2,
            (480, 800, 1200, 1600),
            "(min-width: 42.5rem) 40rem, calc(100vw - 2.5rem)",
            800,
        ),
        # Listing cards: a third of the page on wide screens; the front page's top story wider.
        Spec(
            "card",
            3 / 2,
            (320, 480, 640, 960, 1280),
            "(min-width: 72rem) 22rem, (min-width: 42rem) 45vw, calc(100vw - 2.5rem)",
            480,
        ),
        # Figures in the text keep the photographer's framing.
        Spec(
            "figure",
            None,
            (480, 800, 1200, 1600),
            "(min-width: 42.5rem) 40rem, calc(100vw - 2.5rem)",
            800,
        ),
        # Open Graph / Twitter cards: 1200x630 JPEG, which every network reads.
        Spec("social", 1200 / 630, (1200,), "1200px", 1200, formats=("JPEG",)),
        Spec("avatar", 1.0, (64, 128, 256), "8rem", 128),
    ]
}


def writable_formats(spec):
    """The spec's formats the site makes (NEWSROOM_IMAGE_FORMATS) and this Pillow build can
    encode; JPEG always."""
    return [
        fmt
        for fmt in spec.formats
        if fmt == "JPEG" or (fmt in settings.NEWSROOM_IMAGE_FORMATS and features.check(fmt.lower()))
    ]


# Uploads


def _refuse(message, code, **params):
    raise ValidationError(message, code=code, params=params)


def inspect_upload(file):
    """Check an uploaded file is a whole image of a kind we accept: (format, width, height).

    Width and height are as the picture is seen, after its EXIF orientation. Raises
    ValidationError with a message for the editor when the file is refused.
    """
    limit = settings.NEWSROOM_IMAGE_MAX_UPLOAD_BYTES
    if file.size > limit:
        _refuse(
            "This file is %(size)s; the limit is %(limit)s. Export a smaller JPEG (2,000 to "
            "4,000 pixels wide is plenty) and upload that.",
            "too_large",
            size=filesizeformat(file.size),
            limit=filesizeformat(limit),
        )
    file.seek(0)
    head = file.read(1024).lstrip().lower()
    file.seek(0)
    if b"<svg" in head or head.startswith(b"<?xml"):
        _refuse(
            "SVG files aren't accepted: they are drawings that can carry scripts. Export the "
            "graphic as a PNG and upload that.",
            "svg",
        )
    try:
        # Pillow warns past MAX_IMAGE_PIXELS and raises at twice that; both are refusals.
        with warnings.catch_warnings():
            warnings.simplefilter("error", PILImage.DecompressionBombWarning)
            with PILImage.open(file, formats=list(UPLOAD_FORMATS)) as image:
                image.verify()
            file.seek(0)
            with PILImage.open(file, formats=list(UPLOAD_FORMATS)) as image:
                # verify() doesn't decode; a cut-off JPEG only shows when it is decoded.
                image.load()
                width, height = image.size
                orientation = image.getexif().get(ExifTags.Base.Orientation, 1)
                image_format = image.format
    except (PILImage.DecompressionBombError, PILImage.DecompressionBombWarning):
        _refuse(
            "This image has too many pixels (the limit is %(limit)s megapixels). Resize it "
            "to at most 8,000 pixels on its longer side and upload it again.",
            "too_many_pixels",
            limit=PILImage.MAX_IMAGE_PIXELS // 1_000_000,
        )
    except UnidentifiedImageError:
        _refuse(
            "This file isn't a JPEG, PNG, WebP, AVIF or GIF image, whatever its name says. "
            "Export the picture in one of those formats and upload it again.",
            "not_an_image",
        )
    except (OSError, SyntaxError, ValueError, EOFError):
        _refuse(
            "This image is damaged or incomplete (the upload may have been cut short). "
            "Upload it again, or export it again from the original.",
            "damaged",
        )
    finally:
        file.seek(0)
    if orientation in QUARTER_TURNS:
        width, height = height, width
    return image_format, width, height


# Renditions


def source_key(spec, file_name, focal_x, focal_y):
    """What a rendition was made from: it is remade when this changes."""
    parts = [str(VERSION), file_name]
    if spec.is_cropped:
        parts += [f"{focal_x:.4f}", f"{focal_y:.4f}"]
    return hashlib.blake2b("|".join(parts).encode(), digest_size=6).hexdigest()


def crop_box(width, height, ratio, focal_x, focal_y):
    """The largest box of `ratio` in the image, centred on the focal point as far as it fits."""
    if ratio is None:
        return (0, 0, width, height)
    if width / height > ratio:
        crop_width, crop_height = min(width, round(height * ratio)), height
    else:
        crop_width, crop_height = width, min(height, round(width / ratio))
    left = min(max(round(focal_x * width - crop_width / 2), 0), width - crop_width)
    top = min(max(round(focal_y * height - crop_height / 2), 0), height - crop_height)
    return (left, top, left + crop_width, top + crop_height)


def planned_sizes(spec, width, height):
    """[(width, height), …] of a spec's renditions for an image this size; never upscaled."""
    left, top, right, bottom = crop_box(width, height, spec.ratio, 0.5, 0.5)
    crop_width, crop_height = right - left, bottom - top
    # Every width the crop is larger than, plus the largest the crop allows.
    widths = sorted(
        {w for w in spec.widths if w < crop_width} | {min(crop_width, max(spec.widths))}
    )
    return [(w, max(1, round(w * crop_height / crop_width))) for w in widths]


def open_original(file):
    """The original as readers should see it: upright, sRGB, no alpha, no metadata."""
    with PILImage.open(file) as original:
        original.load()
        image = ImageOps.exif_transpose(original)
    image = _to_srgb(image)
    # Crops and resizes copy `info`: emptying it here keeps EXIF (GPS included), XMP,
    # comments and the ICC profile out of every rendition.
    image.info = {}
    return image


def _to_srgb(image):
    icc_profile = image.info.get("icc_profile")
    if icc_profile and image.mode in ("RGB", "RGBA", "CMYK"):
        try:
            image = ImageCms.profileToProfile(
                image,
                ImageCms.ImageCmsProfile(io.BytesIO(icc_profile)),
                SRGB,
                outputMode="RGBA" if image.mode == "RGBA" else "RGB",
            )
        except (ImageCms.PyCMSError, OSError, ValueError):
            pass  # A broken profile: use the pixels as they are.
    if image.mode in ("RGBA", "LA", "PA") or "transparency" in image.info:
        image = image.convert("RGBA")
        flattened = PILImage.new("RGB", image.size, "white")
        flattened.paste(image, mask=image.getchannel("A"))
        return flattened
    return image.convert("RGB")


def encode_renditions(image, spec, focal_x, focal_y):
    """Encode a spec's renditions of an opened original: yields (format, width, height, bytes)."""
    cropped = image.crop(crop_box(*image.size, spec.ratio, focal_x, focal_y))
    for width, height in planned_sizes(spec, *image.size):
        resized = cropped.resize((width, height), PILImage.Resampling.LANCZOS, reducing_gap=3.0)
        for image_format in writable_formats(spec):
            buffer = io.BytesIO()
            resized.save(buffer, image_format, **ENCODER_OPTIONS[image_format])
            yield image_format, width, height, buffer.getvalue()
