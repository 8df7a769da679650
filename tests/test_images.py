"""The photo library: renditions, uploads, and photos on the pages, feeds and cards readers get."""

import html
import io
import json
import re
import subprocess
import sys
from pathlib import Path

import feedparser
import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image as PILImage
from PIL import ImageCms

from articles.photos.encoding import SPECS
from articles.photos.models import Image, Rendition

from . import image_files
from .factories import (
    ArticleFactory,
    AuthorFactory,
    CategoryFactory,
    FigureFactory,
    ImageFactory,
    SectionFactory,
)
from .test_accessibility import html_problems

pytestmark = pytest.mark.django_db

PROJECT = Path(__file__).resolve().parent.parent


def opened(rendition):
    with rendition.file.open("rb") as file:
        data = file.read()
    image = PILImage.open(io.BytesIO(data))
    image.load()
    return image, data


def renditions(image, spec):
    return list(image.renditions.filter(spec=spec).order_by("width", "format"))


def stored_files(media_root):
    return {path for path in media_root.rglob("*") if path.is_file()}


# Renditions


def test_renditions_have_the_planned_sizes_and_formats(every_image_format):
    image = ImageFactory(size=(2000, 1000))
    expected = {
        "lead": [(480, 320), (800, 533), (1200, 800), (1500, 1000)],
        "card": [(320, 213), (480, 320), (640, 427), (960, 640), (1280, 853)],
        "figure": [(480, 240), (800, 400), (1200, 600), (1600, 800)],
        "social": [(1200, 630)],
        "avatar": [(64, 64), (128, 128), (256, 256)],
    }
    for spec, sizes in expected.items():
        found = renditions(image, spec)
        formats = ["JPEG"] if spec == "social" else ["AVIF", "JPEG", "WEBP"]
        assert [(r.width, r.height, r.format) for r in found] == [
            (*size, image_format) for size in sizes for image_format in formats
        ], spec
        for rendition in found:
            decoded, data = opened(rendition)
            assert decoded.format == rendition.format
            assert decoded.size == (rendition.width, rendition.height)
            assert decoded.mode == "RGB"
            assert rendition.size == len(data)


def test_a_small_image_is_never_upscaled():
    image = ImageFactory(size=(300, 200))
    assert [(r.width, r.height) for r in renditions(image, "lead") if r.format == "JPEG"] == [
        (300, 200)
    ]
    assert [(r.width, r.height) for r in renditions(image, "social")] == [(300, 158)]


def red_shown(rendition):
    decoded, _ = opened(rendition)
    return any(image_files.is_red(pixel) for pixel in decoded.get_flattened_data())


def test_crops_keep_the_focal_point_in_view():
    # A red box near the right edge of a wide picture; square and 3:2 crops must show it.
    image = ImageFactory(size=(1600, 800), marker=(1300, 350, 1400, 450))
    centred = [r for r in renditions(image, "avatar") if r.format == "JPEG"]
    assert not any(red_shown(r) for r in centred)

    image.focal_x, image.focal_y = 1350 / 1600, 0.5
    image.save()
    for spec in ["avatar", "lead", "card"]:
        for rendition in renditions(image, spec):
            assert red_shown(rendition), rendition
    [avatar] = [r for r in renditions(image, "avatar") if r.format == "JPEG" and r.width == 256]
    decoded, _ = opened(avatar)
    # The box is at 500-600 of the 800-pixel crop (800-1600): 160-192 of 256.
    assert image_files.is_red(decoded.getpixel((176, 128)))


def test_a_new_focal_point_remakes_the_crops_and_nothing_else(django_capture_on_commit_callbacks):
    image = ImageFactory(size=(1600, 800))
    figures_before = {r.pk for r in renditions(image, "figure")}
    cards_before = renditions(image, "card")
    storage = cards_before[0].file.storage

    with django_capture_on_commit_callbacks(execute=True):
        image.focal_x = 0.9
        image.save()

    cards_after = renditions(image, "card")
    assert {r.pk for r in renditions(image, "figure")} == figures_before
    assert len(cards_after) == len(cards_before)
    assert not {r.file.name for r in cards_after} & {r.file.name for r in cards_before}
    assert all(storage.exists(r.file.name) for r in cards_after)
    assert not any(storage.exists(r.file.name) for r in cards_before)


def test_a_new_caption_remakes_no_rendition(monkeypatch):
    image = ImageFactory()
    before = sorted(Rendition.objects.values_list("pk", flat=True))

    def refuse(*args, **kwargs):
        raise AssertionError("renditions remade")

    monkeypatch.setattr(PILImage, "open", refuse)
    image.caption = "A new caption."
    image.save()
    assert sorted(Rendition.objects.values_list("pk", flat=True)) == before


def test_exif_orientation_is_applied():
    # Stored sideways with "rotate 90° clockwise to show": the red corner ends top right.
    data = image_files.jpeg(
        size=(300, 200), marker=(0, 0, 60, 40), exif=image_files.camera_exif(orientation=6)
    )
    image = ImageFactory(file=ContentFile(data, name="phone.jpg"))
    assert (image.width, image.height) == (200, 300)
    [figure] = [r for r in renditions(image, "figure") if r.format == "JPEG"]
    decoded, _ = opened(figure)
    assert decoded.size == (200, 300)
    assert image_files.is_red(decoded.getpixel((190, 10)))
    assert not image_files.is_red(decoded.getpixel((10, 10)))


def test_only_the_configured_formats_are_made(settings):
    settings.NEWSROOM_IMAGE_FORMATS = ("WEBP",)
    image = ImageFactory(size=(1000, 800))
    assert {r.format for r in renditions(image, "lead")} == {"WEBP", "JPEG"}
    assert {r.format for r in renditions(image, "social")} == {"JPEG"}

    settings.NEWSROOM_IMAGE_FORMATS = ()
    assert image.make_renditions() == 0
    assert set(image.renditions.values_list("format", flat=True)) == {"JPEG"}


def test_renditions_carry_no_camera_data_or_location(every_image_format):
    srgb = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    data = image_files.jpeg(
        exif=image_files.camera_exif(),
        comment=b"Taken at the landing site",
        xmp=b"<x:xmpmeta>landing site</x:xmpmeta>",
        icc_profile=srgb,
    )
    original = PILImage.open(io.BytesIO(data))
    assert original.getexif().get_ifd(0x8825)  # The upload does carry a location.
    image = ImageFactory(file=ContentFile(data, name="camera.jpg"))

    found = list(image.renditions.all())
    assert {r.format for r in found} == {"AVIF", "WEBP", "JPEG"}
    for rendition in found:
        decoded, raw = opened(rendition)
        assert not decoded.getexif(), rendition
        assert not {"exif", "xmp", "comment", "icc_profile"} & decoded.info.keys(), rendition
        assert image_files.CAMERA_MODEL.encode() not in raw
        assert b"landing site" not in raw


# Uploads


def upload(client, name, data, **fields):
    return client.post(
        reverse("admin:articles_image_add"),
        {
            "file": SimpleUploadedFile(name, data, content_type="image/jpeg"),
            "title": "Soyuz landing",
            "alt_text": "The capsule on the steppe.",
            "caption": "",
            "credit": "NASA/Bill Ingalls",
            "source": "",
            "focal_x": "0.5",
            "focal_y": "0.5",
            **fields,
        },
    )


def noisy_jpeg(size):
    buffer = io.BytesIO()
    PILImage.effect_noise(size, 64).convert("RGB").save(buffer, "JPEG", quality=95)
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("photo.jpg", image_files.executable(), "isn't a JPEG, PNG, WebP, AVIF or GIF image"),
        ("drawing.svg", image_files.SVG, "SVG files aren't accepted"),
        ("drawing.jpg", image_files.SVG, "SVG files aren't accepted"),
        ("cut-off.jpg", image_files.truncated_jpeg(), "damaged or incomplete"),
        ("bomb.png", image_files.decompression_bomb(10_000), "too many pixels"),
        ("bigger-bomb.png", image_files.decompression_bomb(20_000), "too many pixels"),
        ("empty.jpg", b"", "The submitted file is empty."),
    ],
    ids=["renamed-executable", "svg", "svg-named-jpg", "truncated", "bomb", "bomb-2x", "empty"],
)
def test_a_bad_upload_is_refused_and_nothing_is_saved(
    editor_client, media_root, name, data, message
):
    files_before = stored_files(media_root)
    response = upload(editor_client, name, data)
    assert response.status_code == 200
    assert message in html.unescape(response.content.decode())
    assert not Image.objects.exists()
    assert not Rendition.objects.exists()
    assert stored_files(media_root) == files_before


def test_a_file_over_the_size_limit_is_refused(editor_client, media_root, settings):
    settings.NEWSROOM_IMAGE_MAX_UPLOAD_BYTES = 100 * 1024
    files_before = stored_files(media_root)
    data = noisy_jpeg((600, 600))
    assert len(data) > 100 * 1024
    response = upload(editor_client, "big.jpg", data)
    assert response.status_code == 200
    assert "the limit is 100.0\xa0KB" in response.content.decode()
    assert not Image.objects.exists()
    assert stored_files(media_root) == files_before


def test_upload_names_are_sanitized_and_unique(editor_client):
    for _ in range(2):
        response = upload(editor_client, "../../Évian Summit!!.JPEG", image_files.png())
        assert response.status_code == 302
    names = [image.file.name for image in Image.objects.all()]
    assert len(set(names)) == 2
    for name in names:
        # The extension is the real format's: this "JPEG" is a PNG.
        assert re.fullmatch(r"originals/\d{4}/\d{2}/evian-summit-[0-9a-f]{16}\.png", name), name


def test_a_failed_rendition_leaves_nothing_behind(media_root, monkeypatch):
    files_before = stored_files(media_root)

    def broken_encoder(*args, **kwargs):
        raise OSError("encoder crashed")
        yield  # pragma: no cover

    monkeypatch.setattr("articles.photos.encoding.encode_renditions", broken_encoder)
    with pytest.raises(OSError):
        ImageFactory()
    assert not Image.objects.exists()
    assert stored_files(media_root) == files_before


# Pages


def article_with_photos():
    authors = [AuthorFactory(portrait=ImageFactory(size=(400, 400))) for _ in range(3)]
    article = ArticleFactory(
        lead_image=ImageFactory(size=(2000, 1000), caption="The landing."),
        authors=authors,
        tags=["ISS"],
    )
    for position in range(3):
        section = SectionFactory(article=article, position=position)
        FigureFactory(section=section, position=0, caption="Our own caption.")
        FigureFactory(section=section, position=1)
    return article


def test_article_page_shows_lead_image_figures_and_avatars(client, every_image_format):
    article = article_with_photos()
    content = client.get(article.get_absolute_url()).content.decode()
    assert content.count("<picture") == 1 + 6 + 3
    assert content.count('<source type="image/avif"') == 10
    assert content.count('<source type="image/webp"') == 10
    for img in re.findall(r"<img [^>]+>", content):
        assert re.search(r' width="\d+" height="\d+"', img), img
        assert ' alt="' in img, img
        assert 'srcset="' in img and 'sizes="' in img, img
        assert ".jpg" in re.search(r'src="([^"]+)"', img).group(1)
    lead = article.lead_image
    assert f'alt="{lead.alt_text}" fetchpriority="high"' in content
    assert "The landing." in content and "NASA/Bill Ingalls" in content
    assert content.count("Our own caption.") == 3
    assert content.count("The crew after landing in Kazakhstan.") == 3
    # Avatars sit beside the author's name: empty alt, nothing read twice.
    assert content.count('alt="" loading="lazy"') == 3


def test_article_page_with_photos_runs_a_constant_number_of_queries(
    client, django_assert_max_num_queries
):
    article = article_with_photos()
    # Rendered and stored by this first reader, the page without photos runs 18
    # (test_views); photos add the lead image's, the figures' and the avatars'
    # renditions: one query each, however many.
    with django_assert_max_num_queries(21):
        response = client.get(article.get_absolute_url())
    assert response.status_code == 200
    assert response.content.decode().count("<picture") == 10


@pytest.mark.parametrize("url", ["/", "/?page=2", "/space/", "/tags/iss/", "/authors/dana/"])
def test_list_pages_with_photos_run_a_constant_number_of_queries(
    client, django_assert_max_num_queries, url
):
    category = CategoryFactory(slug="space")
    author = AuthorFactory(slug="dana", portrait=ImageFactory())
    images = ImageFactory.create_batch(6)
    for index in range(30):
        ArticleFactory(
            category=category,
            authors=[author, AuthorFactory()],
            tags=["ISS", "NASA"],
            lead_image=images[index % len(images)],
        )
    # 17 without photos, rendered and stored by this first reader (test_views): one more
    # for the cards' renditions, and one for the author's portrait on the author page.
    with django_assert_max_num_queries(20 if url.startswith("/authors/") else 19):
        response = client.get(url)
    assert response.status_code == 200
    assert response.content.decode().count('class="card__image"') >= 9


def test_reader_requests_do_no_image_work_once_renditions_exist(client, media_root, monkeypatch):
    article = article_with_photos()
    files_before = stored_files(media_root)
    rendition_count = Rendition.objects.count()
    attempts = []

    def refuse(*args, **kwargs):
        # Noted as well as refused: a page that can't make a photo's renditions logs the
        # error and goes out without the photo, so the error alone would go unseen.
        attempts.append(args)
        raise AssertionError("image work on a reader's request")

    monkeypatch.setattr(PILImage, "open", refuse)
    monkeypatch.setattr(FileSystemStorage, "_save", refuse)
    author = article.byline_authors[0]
    for url in [
        article.get_absolute_url(),
        "/",
        article.category.get_absolute_url(),
        author.get_absolute_url(),
        reverse("articles:feed_rss"),
        reverse("articles:feed_atom"),
    ]:
        response = client.get(url)
        assert response.status_code == 200, url
    assert attempts == []
    assert stored_files(media_root) == files_before
    assert Rendition.objects.count() == rendition_count


def test_missing_renditions_are_made_on_first_use_then_read(client, monkeypatch):
    article = ArticleFactory(lead_image=ImageFactory())
    Rendition.objects.all().delete()
    first = client.get(article.get_absolute_url())
    assert first.status_code == 200
    assert "<picture" in first.content.decode()
    assert Rendition.objects.filter(image=article.lead_image, spec="lead").exists()

    def refuse(*args, **kwargs):
        raise AssertionError("renditions made twice")

    monkeypatch.setattr(PILImage, "open", refuse)
    again = client.get(reverse("articles:list"))
    assert "<picture" in again.content.decode()


def test_a_lost_original_costs_the_photo_not_the_page(client, caplog):
    article = ArticleFactory(lead_image=ImageFactory())
    Rendition.objects.all().delete()
    article.lead_image.file.storage.delete(article.lead_image.file.name)
    response = client.get(article.get_absolute_url())
    assert response.status_code == 200
    assert "<picture" not in response.content.decode()
    assert f"Couldn't make the renditions of image {article.lead_image.pk}" in caplog.text


def test_articles_without_photos_show_none(client):
    article = ArticleFactory()
    assert "<picture" not in client.get(article.get_absolute_url()).content.decode()
    assert "<picture" not in client.get("/").content.decode()


def test_social_card_is_the_lead_images_1200_by_630_rendition(client):
    article = ArticleFactory(lead_image=ImageFactory(size=(2000, 1000)))
    response = client.get(article.get_absolute_url())
    content = response.content.decode()
    social = article.lead_image.renditions.get(spec="social")
    url = f"http://testserver{social.url}"
    assert f'<meta property="og:image" content="{url}">' in content
    assert '<meta property="og:image:width" content="1200">' in content
    assert '<meta property="og:image:height" content="630">' in content
    assert f'<meta name="twitter:image" content="{url}">' in content
    assert f'<meta property="og:image:alt" content="{article.lead_image.alt_text}">' in content
    blocks = re.findall(r'<script type="application/ld\+json">(.*?)</script>', content, re.S)
    news = next(data for data in map(json.loads, blocks) if data["@type"] == "NewsArticle")
    assert news["image"][0] == {"@type": "ImageObject", "url": url, "width": 1200, "height": 630}
    assert news["image"][1]["width"] == 1500
    assert social.width == 1200 and social.height == 630


@pytest.mark.parametrize("fmt", ["rss", "atom"])
def test_feed_items_carry_the_lead_image_as_an_enclosure(client, fmt):
    article = ArticleFactory(lead_image=ImageFactory(size=(2000, 1000)))
    ArticleFactory()
    feed = feedparser.parse(client.get(reverse(f"articles:feed_{fmt}")).content)
    assert not feed.bozo
    entries = {entry.title: entry for entry in feed.entries}
    [enclosure] = entries[article.headline].enclosures
    rendition = article.lead_image.renditions.get(spec="lead", format="JPEG", width=1200)
    assert enclosure.href == f"http://testserver{rendition.url}"
    assert enclosure.type == "image/jpeg"
    assert int(enclosure.length) == rendition.size == rendition.file.size
    assert [e.enclosures for e in feed.entries if e.title != article.headline] == [[]]


def test_author_page_shows_the_portrait(client):
    author = AuthorFactory(name="Dana Whitfield", portrait=ImageFactory(alt_text=""))
    ArticleFactory(authors=[author])
    content = client.get(author.get_absolute_url()).content.decode()
    assert 'class="avatar avatar--large"' in content
    assert 'alt="Dana Whitfield"' in content


@pytest.mark.checker
def test_pages_with_photos_are_valid_html(client, tmp_path, every_image_format):
    article = article_with_photos()
    urls = {
        "article": article.get_absolute_url(),
        "home": "/",
        "author": article.byline_authors[0].get_absolute_url(),
    }
    files = []
    for name, url in urls.items():
        path = tmp_path / f"{name}.html"
        path.write_bytes(client.get(url).content)
        files.append(str(path))
    assert html_problems(files) == []


def test_every_spec_is_documented_in_the_readme():
    readme = (PROJECT / "README.md").read_text()
    for name in SPECS:
        assert f"`{name}`" in readme


# Storage configuration


def storage_settings(**env):
    probe = "import json; from django.conf import settings; print(json.dumps(settings.STORAGES))"
    return subprocess.run(
        [sys.executable, "-c", probe],
        env={
            "PATH": "/usr/bin:/bin",
            "DJANGO_SETTINGS_MODULE": "newsroom.settings",
            "DJANGO_DEBUG": "1",
            **env,
        },
        cwd=PROJECT,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_photos_are_kept_on_disk_by_default():
    result = storage_settings()
    assert result.returncode == 0, result.stderr
    default = json.loads(result.stdout)["default"]
    assert default["BACKEND"] == "django.core.files.storage.FileSystemStorage"


def test_object_storage_is_configured_by_the_environment():
    result = storage_settings(
        NEWSROOM_MEDIA_STORAGE="s3",
        NEWSROOM_MEDIA_BUCKET="newsroom-media",
        NEWSROOM_MEDIA_ENDPOINT_URL="https://s3.example.net",
        NEWSROOM_MEDIA_DOMAIN="media.news.example.com",
    )
    assert result.returncode == 0, result.stderr
    default = json.loads(result.stdout)["default"]
    assert default["BACKEND"] == "storages.backends.s3.S3Storage"
    assert default["OPTIONS"]["bucket_name"] == "newsroom-media"
    assert default["OPTIONS"]["endpoint_url"] == "https://s3.example.net"
    assert default["OPTIONS"]["custom_domain"] == "media.news.example.com"
    assert default["OPTIONS"]["querystring_auth"] is False


def test_object_storage_without_a_bucket_stops_start_up():
    result = storage_settings(NEWSROOM_MEDIA_STORAGE="s3")
    assert result.returncode != 0
    assert "Set NEWSROOM_MEDIA_BUCKET" in result.stderr
