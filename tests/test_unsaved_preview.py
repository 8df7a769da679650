"""The preview of the unsaved form: the article page from what is typed, nothing saved."""

import pytest
from django.contrib.admin.models import LogEntry
from reversion.models import Version

from articles.models import Article, Block, Section

from .factories import ArticleFactory, CategoryFactory, SectionFactory
from .helpers import article_form, change_form
from .oembed_server import serving

pytestmark = pytest.mark.django_db

NEW_URL = "/admin/articles/article/add/preview-unsaved/"
YOUTUBE = "https://www.youtube.com/watch?v=21X5lGlDOfg"


def preview_url(article):
    return f"/admin/articles/article/{article.pk}/preview-unsaved/"


def story_with(*blocks, **fields):
    return {
        "sections": [{"subheading": "Small Talk", "position": 0, "blocks": list(blocks)}],
        **fields,
    }


def test_an_edited_article_is_previewed_as_typed_and_nothing_is_saved(editor_client):
    article = ArticleFactory(headline="Soyuz lands", status=Article.Status.PUBLISHED)
    SectionFactory(article=article, subheading="Before", body="What readers have now.")
    section = article.sections.get()
    block = section.blocks.get()
    version, public_page = article.version, editor_client.get(article.get_absolute_url()).text

    inlines = {
        "sections": [
            {
                "id": section.pk,
                "article": article.pk,
                "subheading": "Small Talk",
                "position": 0,
                "initial_blocks": 1,
                "blocks": [
                    {
                        "id": block.pk,
                        "section": section.pk,
                        "kind": "text",
                        "position": 0,
                        "body": "It would have been *amazing* to be a fly on the wall.",
                    },
                    {
                        "kind": "quote",
                        "position": 1,
                        "text": "Friends forever.",
                        "speaker": "Mark Vande Hei",
                    },
                ],
            }
        ]
    }
    data = change_form(
        article, inlines=inlines, existing={"sections": 1}, headline="Soyuz lands softly"
    )
    response = editor_client.post(preview_url(article), data)

    assert response.status_code == 200
    page = response.text
    assert "<h1" in page and "Soyuz lands softly" in page
    assert "Preview of the form as it is now." in page
    assert "<em>amazing</em>" in page
    assert "Friends forever." in page and "Mark Vande Hei" in page
    assert response["X-Robots-Tag"] == "noindex, nofollow"
    assert response["X-Frame-Options"] == "SAMEORIGIN"
    assert "no-store" in response["Cache-Control"]

    article.refresh_from_db()
    assert (article.headline, article.version) == ("Soyuz lands", version)
    assert Section.objects.get().subheading == "Before"
    assert Block.objects.get().body == "What readers have now."
    assert not LogEntry.objects.exists()
    assert not Version.objects.get_for_object(article).exists()
    assert editor_client.get(article.get_absolute_url()).text == public_page


def test_a_new_article_is_previewed_before_its_first_save(writer_client):
    data = article_form(
        CategoryFactory(),
        headline="Soyuz lands in Kazakhstan",
        slug="",
        inlines=story_with({"kind": "text", "position": 0, "body": "The capsule landed."}),
    )
    response = writer_client.post(NEW_URL, data)
    assert response.status_code == 200
    assert "Soyuz lands in Kazakhstan" in response.text
    assert "The capsule landed." in response.text
    assert "Status: Draft" in response.text
    assert not Article.objects.exists()
    assert not Block.objects.exists()


def test_a_form_that_fails_its_checks_says_what_stops_the_preview(writer_client):
    data = article_form(
        CategoryFactory(),
        headline="",
        inlines=story_with(
            {"kind": "text", "position": 0, "body": "The capsule landed."},
            {"kind": "quote", "position": 1, "text": "Friends forever."},
        ),
    )
    response = writer_client.post(NEW_URL, data)
    assert response.status_code == 200
    assert "The preview shows once the form has these fixed" in response.text
    assert "Headline: This field is required." in response.text
    assert "Section 1, block 2, Speaker:" in response.text
    assert 'content="noindex, nofollow"' in response.text
    assert not Article.objects.exists()


def test_an_embed_is_previewed_without_asking_its_provider(writer_client, settings):
    with serving() as server:
        settings.NEWSROOM_OEMBED_ENDPOINTS = {"youtube": f"{server.url}/youtube"}
        data = article_form(
            CategoryFactory(),
            inlines=story_with({"kind": "embed", "position": 0, "url": YOUTUBE}),
        )
        response = writer_client.post(NEW_URL, data)
        assert response.status_code == 200
        assert "YouTube" in response.text
        assert server.requests == []


def test_a_writer_cannot_preview_changes_to_a_published_article(writer_client):
    article = ArticleFactory(status=Article.Status.PUBLISHED)
    response = writer_client.post(preview_url(article), change_form(article, headline="Mine"))
    assert response.status_code == 403


@pytest.mark.parametrize(
    "method, url, status",
    [
        ("get", NEW_URL, 405),
        ("post", "/admin/articles/article/999999/preview-unsaved/", 404),
    ],
)
def test_bad_requests_get_clear_answers(editor_client, method, url, status):
    assert getattr(editor_client, method)(url, {}).status_code == status


def test_signed_out_visitors_get_the_sign_in_page(client):
    response = client.post(NEW_URL, {"headline": "Spam"})
    assert response.status_code == 302
    assert "/admin/login/" in response.url
