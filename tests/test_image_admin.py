"""The photo library in the admin, and the rule that published images have alt text."""

import html

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from articles.models import Article
from articles.photos.models import Image

from . import image_files
from .factories import ArticleFactory, AuthorFactory, FigureFactory, ImageFactory, SectionFactory
from .helpers import change_form

pytestmark = pytest.mark.django_db

PUBLISHED, REVIEW = Article.Status.PUBLISHED, Article.Status.REVIEW


def text(response):
    return html.unescape(response.content.decode())


def image_form(image, **fields):
    return {
        "title": image.title,
        "alt_text": image.alt_text,
        "caption": image.caption,
        "credit": image.credit,
        "source": image.source,
        "focal_x": image.focal_x,
        "focal_y": image.focal_y,
        **fields,
    }


def test_writer_uploads_a_photo_with_its_credit(writer_client, writer):
    response = writer_client.post(
        reverse("admin:articles_image_add"),
        {
            "file": SimpleUploadedFile("landing.jpg", image_files.jpeg(size=(1200, 800))),
            "title": "Soyuz landing",
            "alt_text": "The capsule lies on its side on the snowy steppe.",
            "caption": "The Soyuz MS-19 capsule after landing.",
            "credit": "NASA/Bill Ingalls",
            "source": "NASA, public domain",
            "focal_x": "0.25",
            "focal_y": "0.6",
        },
    )
    assert response.status_code == 302, response.context["errors"]
    image = Image.objects.get()
    assert image.uploaded_by == writer
    assert (image.width, image.height) == (1200, 800)
    assert (image.focal_x, image.focal_y) == (0.25, 0.6)
    assert image.renditions.filter(spec="social", format="JPEG").exists()


def test_image_list_shows_thumbnails_usage_and_runs_constant_queries(
    editor_client, django_assert_max_num_queries
):
    images = ImageFactory.create_batch(8)
    ArticleFactory(lead_image=images[0])
    ArticleFactory(lead_image=images[0])
    FigureFactory(image=images[0])
    AuthorFactory(portrait=images[1])
    with django_assert_max_num_queries(10):
        response = editor_client.get(reverse("admin:articles_image_changelist"))
    assert response.status_code == 200
    content = response.content.decode()
    assert content.count('class="image-thumbnail"') == 8
    usage = {image.pk: image.usage for image in response.context["cl"].result_list}
    assert usage[images[0].pk] == 3
    assert usage[images[1].pk] == 1
    assert usage[images[2].pk] == 0


def test_image_list_searches_every_describing_field(editor_client):
    ImageFactory(title="Launch pad", credit="Roscosmos")
    ImageFactory(title="Landing", alt_text="A parachute over the steppe")
    url = reverse("admin:articles_image_changelist")
    assert [
        i.title for i in editor_client.get(url, {"q": "roscosmos"}).context["cl"].result_list
    ] == ["Launch pad"]
    found = editor_client.get(url, {"q": "parachute"}).context["cl"].result_list
    assert [i.title for i in found] == ["Landing"]
    missing = editor_client.get(url, {"alt_text": "missing"}).context["cl"].result_list
    assert list(missing) == []


def test_image_page_shows_where_it_is_used_and_the_focal_point_picker(editor_client):
    image = ImageFactory()
    article = ArticleFactory(headline="Soyuz lands", lead_image=image)
    figure = FigureFactory(image=image, section__article__headline="Crew returns")
    author = AuthorFactory(name="Dana Whitfield", portrait=image)
    response = editor_client.get(reverse("admin:articles_image_change", args=[image.pk]))
    content = text(response)
    assert reverse("admin:articles_article_change", args=[article.pk]) in content
    assert "Soyuz lands</a> <small>(lead image, Published)" in content
    assert "Crew returns</a> <small>(photo in the text" in content
    assert reverse("admin:articles_author_change", args=[author.pk]) in content
    assert "data-focal-picker" in content
    assert 'type="hidden" name="focal_x"' in content
    assert "js/admin-focal-point." in content
    assert figure.image.rendition("figure", max_width=800).url in content


def test_focal_point_set_in_the_admin_remakes_the_crops(editor_client):
    image = ImageFactory(size=(1600, 800), marker=(1300, 350, 1400, 450))
    old_key = image.renditions.get(spec="social").source_key
    response = editor_client.post(
        reverse("admin:articles_image_change", args=[image.pk]),
        image_form(image, focal_x="0.84", focal_y="0.5"),
    )
    assert response.status_code == 302, response.context["errors"]
    image.refresh_from_db()
    assert image.focal_x == 0.84
    assert image.renditions.get(spec="social").source_key != old_key


@pytest.mark.parametrize("value", ["1.5", "-0.1"])
def test_focal_point_outside_the_picture_is_refused(editor_client, value):
    image = ImageFactory()
    response = editor_client.post(
        reverse("admin:articles_image_change", args=[image.pk]), image_form(image, focal_x=value)
    )
    assert response.status_code == 200
    image.refresh_from_db()
    assert image.focal_x == 0.5


def test_lead_image_chooser_searches_the_library(editor_client):
    ImageFactory(title="Soyuz landing", credit="NASA/Bill Ingalls")
    ImageFactory(title="Launch pad", credit="Roscosmos")
    response = editor_client.get(
        reverse("admin:autocomplete"),
        {
            "app_label": "articles",
            "model_name": "article",
            "field_name": "lead_image",
            "term": "ingalls",
        },
    )
    assert response.status_code == 200
    assert [r["text"] for r in response.json()["results"]] == ["Soyuz landing"]


def test_article_form_previews_the_chosen_lead_image(editor_client):
    image = ImageFactory(title="Soyuz landing")
    article = ArticleFactory(lead_image=image)
    content = text(editor_client.get(reverse("admin:articles_article_change", args=[article.pk])))
    assert "data-lead-image-summary" in content
    assert image.renditions.get(spec="figure", width=480, format="JPEG").url in content
    assert f"Alt text: {image.alt_text}" in content
    assert "js/admin-lead-image." in content


def test_lead_image_summary_warns_about_missing_alt_text(editor_client):
    image = ImageFactory(title="Untitled", alt_text="")
    response = editor_client.get(reverse("admin:articles_image_summary", args=[image.pk]))
    assert response.status_code == 200
    summary = html.unescape(response.json()["html"])
    assert 'class="image-thumbnail"' in summary
    assert "“Untitled” has no alt text, so the article can't be published." in summary


def test_article_list_shows_lead_image_thumbnails(editor_client, django_assert_max_num_queries):
    for _ in range(10):
        ArticleFactory(lead_image=ImageFactory(), authors=2)
    # 14 for the same list without photos; the thumbnails' renditions are one more.
    with django_assert_max_num_queries(15):
        response = editor_client.get(reverse("admin:articles_article_changelist"))
    assert response.content.decode().count('class="image-thumbnail"') == 10


def test_image_in_use_cannot_be_deleted(editor_client):
    image = ImageFactory()
    ArticleFactory(lead_image=image)
    response = editor_client.post(
        reverse("admin:articles_image_delete", args=[image.pk]), {"post": "yes"}
    )
    assert "Cannot delete image" in text(response)
    assert Image.objects.filter(pk=image.pk).exists()


def test_unused_image_is_deleted_with_its_files(editor_client, django_capture_on_commit_callbacks):
    image = ImageFactory()
    names = [image.file.name, *(r.file.name for r in image.renditions.all())]
    storage = image.file.storage
    with django_capture_on_commit_callbacks(execute=True):
        response = editor_client.post(
            reverse("admin:articles_image_delete", args=[image.pk]), {"post": "yes"}
        )
    assert response.status_code == 302
    assert not any(storage.exists(name) for name in names)


# Published images have alt text


def post_article(client, article, **fields):
    return client.post(
        reverse("admin:articles_article_change", args=[article.pk]),
        change_form(article, **fields),
    )


def test_publishing_with_a_lead_image_without_alt_text_is_refused(editor_client):
    image = ImageFactory(title="Untitled", alt_text="")
    article = ArticleFactory(status=REVIEW, lead_image=image)
    response = post_article(editor_client, article, lead_image=image.pk, _workflow="publish")
    assert response.status_code == 200
    assert "“Untitled” has no alt text, so the article can't be published." in text(response)
    article.refresh_from_db()
    assert article.status == REVIEW


def test_publishing_with_a_described_lead_image_works(editor_client):
    image = ImageFactory()
    article = ArticleFactory(status=REVIEW)
    response = post_article(editor_client, article, lead_image=image.pk, _workflow="publish")
    assert response.status_code == 302, response.context["errors"]
    article.refresh_from_db()
    assert (article.status, article.lead_image) == (PUBLISHED, image)


def test_a_draft_may_use_an_image_without_alt_text(editor_client):
    image = ImageFactory(alt_text="")
    article = ArticleFactory(status=REVIEW)
    response = post_article(editor_client, article, lead_image=image.pk)
    assert response.status_code == 302, response.context["errors"]


def test_publishing_with_a_figure_without_alt_text_is_refused(editor_client):
    article = ArticleFactory(status=REVIEW)
    section = SectionFactory(article=article)
    image = ImageFactory(title="Undescribed", alt_text="")
    response = post_article(
        editor_client,
        article,
        _workflow="publish",
        existing={"sections": 1},
        inlines={
            "sections": [
                {
                    "id": section.pk,
                    "article": article.pk,
                    "position": 0,
                    "initial_blocks": 1,
                    "blocks": [
                        {"id": section.blocks.get().pk, "kind": "text", "body": "x", "position": 0},
                        {"kind": "photo", "image": image.pk, "position": 1},
                    ],
                }
            ],
        },
    )
    assert response.status_code == 200
    assert "“Undescribed” has no alt text" in text(response)
    assert not article.blocks.filter(kind="photo").exists()


def test_publish_now_refuses_articles_whose_images_lack_alt_text(editor_client):
    blocked = ArticleFactory(
        status=REVIEW, headline="Blocked", lead_image=ImageFactory(alt_text="")
    )
    figure = FigureFactory(section__article__status=REVIEW, image__title="Bare", image__alt_text="")
    ready = ArticleFactory(status=REVIEW, lead_image=ImageFactory())
    response = editor_client.post(
        reverse("admin:articles_article_changelist"),
        {"action": "publish_now", "_selected_action": [blocked.pk, figure.article.pk, ready.pk]},
        follow=True,
    )
    messages = [str(message) for message in response.context["messages"]]
    assert any(m.startswith("“Blocked” was not published") for m in messages)
    assert any("“Bare” has no alt text" in m for m in messages)
    assert "Published 1 article(s)." in messages
    statuses = dict(Article.objects.values_list("pk", "status"))
    assert statuses == {blocked.pk: REVIEW, figure.article.pk: REVIEW, ready.pk: PUBLISHED}


def test_model_validation_refuses_publishing_without_alt_text():
    article = ArticleFactory(status=REVIEW, lead_image=ImageFactory(alt_text=""))
    article.status = PUBLISHED
    with pytest.raises(ValidationError) as error:
        article.full_clean()
    assert "lead_image" in error.value.message_dict


def test_alt_text_of_a_published_image_cannot_be_removed(editor_client):
    image = ImageFactory()
    ArticleFactory(headline="Soyuz lands", lead_image=image)
    response = editor_client.post(
        reverse("admin:articles_image_change", args=[image.pk]), image_form(image, alt_text="  ")
    )
    assert response.status_code == 200
    assert "Published articles show this image, so it needs alt text: “Soyuz lands”." in text(
        response
    )
    image.refresh_from_db()
    assert image.alt_text
