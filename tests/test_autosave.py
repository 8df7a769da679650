"""Unsaved changes: kept on the server for one editor and article, offered back, never public."""

import pytest
from reversion.models import Version

from articles.models import Article, Block, UnsavedChanges

from .factories import ArticleFactory, CategoryFactory, ImageFactory, UserFactory
from .helpers import article_form, change_form, form_data

pytestmark = pytest.mark.django_db

ADD_URL = "/admin/articles/article/add/"
KEEP_NEW_URL = "/admin/articles/article/add/unsaved/"


def change_url(article):
    return f"/admin/articles/article/{article.pk}/change/"


def keep_url(article):
    return f"/admin/articles/article/{article.pk}/unsaved/"


def half_written_story(category, second_block=None, **fields):
    """A new article's form: a section whose quote has no speaker yet."""
    second_block = second_block or {"kind": "quote", "text": "It was a soft landing."}
    blocks = [
        {"kind": "text", "body": "The capsule landed at dawn.", "position": 0},
        {**second_block, "position": 1},
    ]
    return article_form(
        category,
        **{"headline": "Soyuz lands in Kazakhstan", "slug": "", **fields},
        inlines={"sections": [{"subheading": "Small Talk", "position": 0, "blocks": blocks}]},
    )


def test_a_new_articles_typed_form_is_kept_and_offered_back(writer_client):
    category = CategoryFactory()
    response = writer_client.post(KEEP_NEW_URL, half_written_story(category))
    assert response.status_code == 200
    assert response.json()["message"].startswith("Changes kept at ")
    assert not Article.objects.exists()

    offer = writer_client.get(ADD_URL)
    assert "You have changes to this new article that were not saved" in offer.text
    assert "Restore the changes from" in offer.text

    restored = writer_client.get(ADD_URL + "?restore=1")
    assert restored.status_code == 200
    assert "are back in the form below" in restored.text
    fields = form_data(restored)
    assert fields["headline"] == "Soyuz lands in Kazakhstan"
    assert fields["sections-0-subheading"] == "Small Talk"
    assert fields["sections-0-blocks-0-body"] == "The capsule landed at dawn."
    assert fields["sections-0-blocks-1-text"] == "It was a soft landing."
    # The quote has no speaker yet: that is said when the editor saves, not on restore.
    assert "errornote" not in restored.text
    assert "errorlist" not in restored.text
    assert not Article.objects.exists()
    assert not Block.objects.exists()


def test_restored_changes_saved_once_make_the_article_and_are_discarded(writer_client, writer):
    category = CategoryFactory()
    writer_client.post(KEEP_NEW_URL, half_written_story(category))
    fields = form_data(writer_client.get(ADD_URL + "?restore=1"))
    fields["sections-0-blocks-1-speaker"] = "Mark Vande Hei"

    response = writer_client.post(ADD_URL, {**fields, "_continue": "1"})
    assert response.status_code == 302
    article = Article.objects.get()
    assert article.headline == "Soyuz lands in Kazakhstan"
    assert [block.kind for block in article.sections.get().blocks.all()] == ["text", "quote"]
    assert not UnsavedChanges.objects.filter(user=writer).exists()
    assert "Restore the changes" not in writer_client.get(ADD_URL).text


def test_an_existing_articles_changes_are_kept_without_touching_the_article(editor_client):
    article = ArticleFactory(headline="Soyuz lands", status=Article.Status.PUBLISHED)
    version = article.version
    response = editor_client.post(
        keep_url(article), change_form(article, headline="Soyuz lands softly")
    )
    assert response.status_code == 200

    article.refresh_from_db()
    assert (article.headline, article.version) == ("Soyuz lands", version)
    assert not Version.objects.get_for_object(article).exists()
    reader = editor_client.__class__()
    assert "Soyuz lands softly" not in reader.get(article.get_absolute_url()).text

    restored = editor_client.get(change_url(article) + "?restore=1")
    assert form_data(restored)["headline"] == "Soyuz lands softly"
    article.refresh_from_db()
    assert article.headline == "Soyuz lands"


def test_saving_the_form_discards_its_kept_changes(editor_client, editor):
    article = ArticleFactory(headline="Soyuz lands")
    editor_client.post(keep_url(article), change_form(article, headline="Soyuz lands softly"))
    response = editor_client.post(
        change_url(article), change_form(article, headline="Soyuz lands at dawn")
    )
    assert response.status_code == 302
    assert not UnsavedChanges.objects.filter(user=editor).exists()
    assert "Restore the changes" not in editor_client.get(change_url(article)).text


def test_a_form_that_fails_to_save_keeps_the_changes_on_the_server(editor_client, editor):
    article = ArticleFactory(headline="Soyuz lands")
    editor_client.post(keep_url(article), change_form(article, headline="Soyuz lands softly"))
    response = editor_client.post(change_url(article), change_form(article, headline=""))
    assert response.status_code == 200
    assert UnsavedChanges.objects.filter(user=editor, article=article).exists()


def test_discarding_forgets_the_changes(editor_client, editor):
    article = ArticleFactory()
    editor_client.post(keep_url(article), change_form(article, headline="Not this"))
    response = editor_client.post(keep_url(article), {"discard": "1"})
    assert response.status_code == 302
    assert response.url == change_url(article)
    assert not UnsavedChanges.objects.exists()
    # Nothing left to restore: the form opens as saved.
    restored = editor_client.get(change_url(article) + "?restore=1")
    assert form_data(restored)["headline"] == article.headline


def test_kept_changes_belong_to_the_editor_who_typed_them(client, editor_client):
    article = ArticleFactory()
    editor_client.post(keep_url(article), change_form(article, headline="Only mine"))
    colleague = UserFactory(group="Editors")
    client.force_login(colleague)
    assert "Restore the changes" not in client.get(change_url(article)).text
    restored = client.get(change_url(article) + "?restore=1")
    assert form_data(restored)["headline"] == article.headline


def test_later_keeps_replace_earlier_ones(editor_client):
    article = ArticleFactory()
    editor_client.post(keep_url(article), change_form(article, headline="First try"))
    editor_client.post(keep_url(article), change_form(article, headline="Second try"))
    assert UnsavedChanges.objects.count() == 1
    restored = editor_client.get(change_url(article) + "?restore=1")
    assert form_data(restored)["headline"] == "Second try"


def test_offer_warns_when_the_article_was_saved_since(editor_client):
    article = ArticleFactory()
    editor_client.post(keep_url(article), change_form(article, headline="Mine"))
    article.dek = "Someone else's dek."
    article.save()
    offer = editor_client.get(change_url(article))
    assert "The article has been saved since then" in offer.text


def test_a_writer_cannot_keep_changes_to_a_published_article(writer_client):
    article = ArticleFactory(status=Article.Status.PUBLISHED)
    response = writer_client.post(keep_url(article), change_form(article, headline="Mine"))
    assert response.status_code == 403
    assert not UnsavedChanges.objects.exists()


@pytest.mark.parametrize(
    "method, url, status",
    [
        ("get", KEEP_NEW_URL, 405),
        ("post", "/admin/articles/article/999999/unsaved/", 404),
        ("post", "/admin/articles/article/not-a-number/unsaved/", 404),
    ],
)
def test_bad_requests_get_clear_answers(editor_client, method, url, status):
    assert getattr(editor_client, method)(url, {}).status_code == status


def test_signed_out_visitors_cannot_keep_anything(client):
    response = client.post(KEEP_NEW_URL, {"headline": "Spam"})
    assert response.status_code == 302
    assert "/admin/login/" in response.url
    assert not UnsavedChanges.objects.exists()


def test_the_form_says_where_its_changes_are_kept_when_it_can_be_saved(writer_client, writer):
    draft = ArticleFactory(status=Article.Status.DRAFT, published_at=None, created_by=writer)
    published = ArticleFactory(status=Article.Status.PUBLISHED, created_by=writer)
    assert f'data-unsaved-changes-url="{KEEP_NEW_URL}"' in writer_client.get(ADD_URL).text
    assert f'data-unsaved-changes-url="{keep_url(draft)}"' in (
        writer_client.get(change_url(draft)).text
    )
    # A writer only reads a published article: there is nothing of theirs to keep.
    assert "data-unsaved-changes-url" not in writer_client.get(change_url(published)).text


def test_a_form_that_comes_back_with_an_error_keeps_everything_and_the_chosen_photo(
    writer_client,
):
    photo = ImageFactory(title="Soyuz return")
    photo_block = {"kind": "photo", "image": photo.pk, "caption": "Down."}
    data = half_written_story(CategoryFactory(), photo_block, headline="")
    response = writer_client.post(ADD_URL, data)
    assert response.status_code == 200
    assert "Headline" in response.text and "This field is required." in response.text
    fields = form_data(response)
    assert fields["sections-0-blocks-0-body"] == "The capsule landed at dawn."
    assert fields["sections-0-blocks-1-image"] == str(photo.pk)
    assert fields["sections-0-blocks-1-caption"] == "Down."
    assert f'<option value="{photo.pk}" selected>Soyuz return</option>' in response.text
