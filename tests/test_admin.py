import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from articles.admin import ArticleAdmin
from articles.models import Article, Block

from .factories import ArticleFactory, AuthorFactory, CategoryFactory
from .helpers import article_form

pytestmark = pytest.mark.django_db


def test_anonymous_visitors_are_sent_to_the_login_page(client):
    response = client.get(reverse("admin:articles_article_changelist"))
    assert response.status_code == 302
    assert reverse("admin:login") in response["Location"]


def test_editor_writes_an_article_with_sections_blocks_and_a_more_on_link(admin_client):
    category = CategoryFactory()
    author = AuthorFactory()
    target = ArticleFactory(headline="Cosmonaut hands over command")
    data = article_form(
        category,
        _workflow="publish",
        inlines={
            "bylines": [{"author": author.pk, "position": 0}],
            "sections": [
                {
                    "subheading": "Small Talk",
                    "position": 0,
                    "blocks": [
                        {"kind": "text", "body": "It would have been *amazing*.", "position": 0},
                        {
                            "kind": "quote",
                            "text": "Roscosmos was professional and classy.",
                            "speaker": "Chris Berger",
                            "speaker_role": "NASASpaceFlight editor",
                            "position": 1,
                        },
                        {"kind": "text", "body": "Fortunately, things went fine.", "position": 2},
                    ],
                },
                {
                    "subheading": "Friends Forever",
                    "position": 1,
                    "blocks": [{"kind": "text", "body": "Officials stressed.", "position": 0}],
                },
            ],
            "lead_quotes": [
                {"text": "Probably the last time.", "speaker": "Chris Berger", "position": 0}
            ],
            "more_on_links": [{"topic": "the ISS", "target": target.pk, "position": 0}],
        },
    )
    response = admin_client.post(reverse("admin:articles_article_add"), data)
    assert response.status_code == 302, response.context["errors"]

    article = Article.objects.get(slug="soyuz-brings-nasa-astronaut-home")
    assert [s.subheading for s in article.sections.all()] == ["Small Talk", "Friends Forever"]
    assert article.byline_authors == [author]
    assert sorted(article.tags.names()) == ["ISS", "NASA"]
    assert article.published_at is not None

    small_talk = article.sections.first()
    assert [block.kind for block in small_talk.blocks.all()] == ["text", "quote", "text"]
    assert {block.article for block in Block.objects.all()} == {article}
    assert article.blocks.get(section__isnull=True).text == "Probably the last time."

    page = admin_client.get(article.get_absolute_url()).content.decode()
    amazing, classy = page.index("<em>amazing</em>"), page.index("professional and classy")
    assert amazing < classy < page.index("Fortunately, things went fine.")
    assert "Cosmonaut hands over command" in page


@pytest.mark.parametrize(
    ("block", "field", "message"),
    [
        ({"kind": "quote", "text": "Words without a speaker."}, "speaker", "Who said it?"),
        ({"kind": "quote", "speaker": "Mark"}, "text", "Type the quoted words"),
        ({"kind": "photo", "caption": "A caption but no photo."}, "image", "Choose a photo"),
        ({"kind": "embed", "title": "A title but no URL"}, "url", "Paste the address"),
    ],
    ids=["quote-without-speaker", "quote-without-words", "photo-without-image", "empty-embed"],
)
def test_an_incomplete_block_is_refused_at_its_field_and_nothing_typed_is_lost(
    admin_client, block, field, message
):
    data = article_form(
        CategoryFactory(),
        headline="Careful words the editor must not lose",
        inlines={
            "sections": [
                {
                    "subheading": "Kept",
                    "position": 0,
                    "blocks": [
                        {"kind": "text", "body": "Paragraph worth keeping.", "position": 0},
                        {"position": 1, **block},
                    ],
                }
            ],
        },
    )
    response = admin_client.post(reverse("admin:articles_article_add"), data)
    assert response.status_code == 200
    content = response.content.decode()
    assert message in content
    sections = next(
        inline.formset
        for inline in response.context["inline_admin_formsets"]
        if inline.formset.prefix == "sections"
    )
    blocks = sections.forms[0].nested_formsets[0]
    assert list(blocks.forms[1].errors) == [field]
    assert "Careful words the editor must not lose" in content
    assert "Paragraph worth keeping." in content
    for value in block.values():
        assert value in content
    assert not Article.objects.exists()


def test_an_untouched_new_block_is_ignored_not_refused(admin_client):
    data = article_form(
        CategoryFactory(),
        inlines={
            "sections": [
                {
                    "subheading": "Small Talk",
                    "position": 0,
                    "blocks": [
                        {"kind": "text", "body": "Some text.", "position": 0},
                        {"kind": "quote", "position": 1},
                    ],
                }
            ],
        },
    )
    response = admin_client.post(reverse("admin:articles_article_add"), data)
    assert response.status_code == 302, response.context["errors"]
    assert [block.kind for block in Block.objects.all()] == ["text"]


@pytest.mark.parametrize(
    ("link", "message"),
    [
        ({"url": "https://nasa.gov/", "title": "NASA"}, "not both"),
        ({}, "Choose an article of this site, or enter an external URL."),
        ({"target": None, "url": "https://nasa.gov/"}, "Give the external link its title."),
        ({"target": None, "url": "not a url", "title": "Bad"}, "Enter a valid URL."),
    ],
    ids=["both", "neither", "url-without-title", "bad-url"],
)
def test_bad_more_on_link_is_refused_and_the_form_keeps_the_text(admin_client, link, message):
    category = CategoryFactory()
    target = ArticleFactory()
    row = {"topic": "the ISS", "position": 0, **link}
    if "target" not in link and link:
        row["target"] = target.pk
    row = {key: value for key, value in row.items() if value is not None}
    data = article_form(
        category,
        headline="Careful words the editor must not lose",
        inlines={
            "sections": [
                {
                    "subheading": "Kept",
                    "position": 0,
                    "blocks": [{"kind": "text", "body": "Paragraph worth keeping.", "position": 0}],
                }
            ],
            "more_on_links": [row],
        },
    )
    response = admin_client.post(reverse("admin:articles_article_add"), data)
    content = response.content.decode()
    assert response.status_code == 200
    assert message in content
    assert "Careful words the editor must not lose" in content
    assert "Paragraph worth keeping." in content
    assert not Article.objects.filter(headline__startswith="Careful").exists()


def test_lead_quote_without_a_speaker_is_refused(admin_client):
    data = article_form(
        CategoryFactory(), inlines={"lead_quotes": [{"text": "Anonymous words", "position": 0}]}
    )
    response = admin_client.post(reverse("admin:articles_article_add"), data)
    assert response.status_code == 200
    assert "Who said it?" in response.content.decode()
    assert "Anonymous words" in response.content.decode()
    assert not Article.objects.exists()


def test_a_new_article_with_a_taken_slug_gets_the_next_free_one(admin_client):
    existing = ArticleFactory()
    data = article_form(existing.category, slug=existing.slug)
    response = admin_client.post(reverse("admin:articles_article_add"), data)
    assert response.status_code == 302
    assert Article.objects.exclude(pk=existing.pk).get().slug == f"{existing.slug}-2"


def test_a_slug_taken_while_the_form_was_being_saved_gives_way_to_the_next(
    admin_client, monkeypatch
):
    category = CategoryFactory()
    checked_form = ArticleAdmin.save_form

    # Another editor's article with the same slug is saved after this form was checked
    # and before it is saved.
    def theirs_lands_first(self, request, form, change):
        ArticleFactory(headline="Soyuz lands", slug="soyuz-lands", category=category)
        return checked_form(self, request, form, change)

    monkeypatch.setattr(ArticleAdmin, "save_form", theirs_lands_first)
    data = article_form(category, headline="Soyuz lands", slug="soyuz-lands")
    response = admin_client.post(reverse("admin:articles_article_add"), data)

    assert response.status_code == 302
    mine = Article.objects.get(slug="soyuz-lands-2")
    assert (mine.headline, mine.version) == ("Soyuz lands", 1)
    assert Article.objects.filter(slug="soyuz-lands").exists()


def test_empty_slug_is_made_from_the_headline(admin_client):
    data = article_form(CategoryFactory(), slug="", headline="Crew Dragon Docks Early")
    assert admin_client.post(reverse("admin:articles_article_add"), data).status_code == 302
    assert Article.objects.get().slug == "crew-dragon-docks-early"


def test_article_list_shows_status_and_runs_constant_queries(
    admin_client, django_assert_max_num_queries
):
    for _ in range(30):
        ArticleFactory(authors=2)
    ArticleFactory(headline="Launch tomorrow", published_at=timezone.now() + datetime.timedelta(1))
    with django_assert_max_num_queries(12):
        response = admin_client.get(reverse("admin:articles_article_changelist"))
    content = response.content.decode()
    assert response.status_code == 200
    # The status column, not the status filter beside the list, which names every state.
    assert content.count('<td class="field-status_display">Scheduled</td>') == 1
    assert content.count('<td class="field-status_display">Published</td>') == 30


def test_article_list_searches_and_filters(admin_client):
    ArticleFactory(headline="Soyuz lands safely")
    ArticleFactory(headline="Draft about Mars", status=Article.Status.DRAFT)
    url = reverse("admin:articles_article_changelist")

    found = admin_client.get(url, {"q": "soyuz"}).content.decode()
    assert "Soyuz lands safely" in found and "Draft about Mars" not in found

    drafts = admin_client.get(url, {"status__exact": "draft"}).content.decode()
    assert "Draft about Mars" in drafts and "Soyuz lands safely" not in drafts


def test_more_on_target_autocomplete_finds_articles(admin_client):
    ArticleFactory(headline="Cosmonaut hands over command")
    response = admin_client.get(
        reverse("admin:autocomplete"),
        {
            "app_label": "articles",
            "model_name": "moreonlink",
            "field_name": "target",
            "term": "cosmonaut",
        },
    )
    assert response.status_code == 200
    assert [r["text"] for r in response.json()["results"]] == ["Cosmonaut hands over command"]


def test_change_form_renders_every_inline(admin_client, demo):
    response = admin_client.get(reverse("admin:articles_article_change", args=[demo.pk]))
    content = response.content.decode()
    assert response.status_code == 200
    for heading in ["Byline (in order)", "Lead quote", "Sections", "Blocks", "“More on …” links"]:
        assert heading in content
    assert "Friends Forever" in content
