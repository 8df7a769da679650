"""Image files made with Pillow for the photo tests: markers, camera metadata, bad uploads."""

import io
import struct
import zlib

from PIL import ExifTags, Image

RED = (255, 0, 0)
CAMERA_MODEL = "Newsroom Test Camera 9000"


def jpeg(size=(640, 480), color=(40, 90, 160), marker=None, exif=None, **save_options):
    """A JPEG of one colour; `marker` is a red box (left, top, right, bottom) drawn on it."""
    image = Image.new("RGB", size, color)
    if marker:
        image.paste(RED, marker)
    buffer = io.BytesIO()
    if exif is not None:
        save_options["exif"] = exif
    image.save(buffer, "JPEG", quality=95, **save_options)
    return buffer.getvalue()


def png(size=(640, 480), color=(200, 200, 200)):
    buffer = io.BytesIO()
    Image.new("RGB", size, color).save(buffer, "PNG")
    return buffer.getvalue()


def camera_exif(orientation=1):
    """EXIF as a phone writes it: make, model, orientation and where the photo was taken."""
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "Newsroom"
    exif[ExifTags.Base.Model] = CAMERA_MODEL
    exif[ExifTags.Base.Orientation] = orientation
    exif[ExifTags.IFD.GPSInfo] = {
        ExifTags.GPS.GPSLatitudeRef: "N",
        ExifTags.GPS.GPSLatitude: (47.0, 22.0, 0.0),
        ExifTags.GPS.GPSLongitudeRef: "E",
        ExifTags.GPS.GPSLongitude: (67.0, 38.0, 0.0),
    }
    return exif


def is_red(pixel):
    red, green, blue = pixel[:3]
    return red > 200 and green < 60 and blue < 60


def _png_chunk(kind, data):
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def decompression_bomb(side=20_000):
    """A tiny PNG that claims side × side pixels: 400 megapixels unpacked."""
    header = struct.pack(">IIBBBBB", side, side, 1, 0, 0, 0, 0)
    pixels = zlib.compress(b"\x00" * (side // 8 + 1) * 16)
    return (
        b"\x89PNG\r\n\x1a\n"
        + _png_chunk(b"IHDR", header)
        + _png_chunk(b"IDAT", pixels)
        + _png_chunk(b"IEND", b"")
    )


def executable():
    """The start of a Linux executable, as if someone renamed a program to photo.jpg."""
    return b"\x7fELF\x02\x01\x01\x00" + b"\x00" * 8 + b"\x02\x00\x3e\x00" + b"\x90" * 2000


SVG = (
    b'<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg" width="100" height="100">'
    b'<script>alert(1)</script><rect width="100" height="100" fill="red"/></svg>'
)


def truncated_jpeg():
    """A real photo-like JPEG cut off halfway, as an interrupted upload leaves it."""
    buffer = io.BytesIO()
    Image.effect_noise((800, 600), 64).convert("RGB").save(buffer, "JPEG", quality=90)
    data = buffer.getvalue()
    return data[: len(data) // 2]
