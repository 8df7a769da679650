import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from articles.models import Article, Quote

from .factories import ArticleFactory, AuthorFactory, CategoryFactory, SectionFactory
from .helpers import article_form

pytestmark = pytest.mark.django_db


def test_anonymous_visitors_are_sent_to_the_login_page(client):
    response = client.get(reverse("admin:articles_article_changelist"))
    assert response.status_code == 302
    assert reverse("admin:login") in response["Location"]


def test_editor_writes_an_article_with_sections_quotes_and_a_more_on_link(admin_client):
    category = CategoryFactory()
    author = AuthorFactory()
    target = ArticleFactory(headline="Cosmonaut hands over command")
    data = article_form(
        category,
        status=Article.Status.PUBLISHED,
        inlines={
            "bylines": [{"author": author.pk, "position": 0}],
            "sections": [
                {
                    "subheading": "Small Talk",
                    "body": "It would have been *amazing*.",
                    "position": 0,
                },
                {"subheading": "Friends Forever", "body": "Officials stressed.", "position": 1},
            ],
            "quotes": [
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

    page = admin_client.get(article.get_absolute_url()).content.decode()
    assert "<em>amazing</em>" in page
    assert "Chris Berger" in page
    assert "Cosmonaut hands over command" in page


def test_quote_is_placed_in_one_of_the_articles_own_sections(admin_client):
    article = ArticleFactory(status=Article.Status.DRAFT)
    section = SectionFactory(article=article, subheading="Small Talk")
    foreign = SectionFactory(subheading="Somebody else's")
    url = reverse("admin:articles_article_change", args=[article.pk])

    form = admin_client.get(url).content.decode()
    assert "Small Talk" in form
    assert "Somebody else" not in form

    def save_quote_in(placed_in):
        return admin_client.post(
            url,
            article_form(
                article.category,
                slug=article.slug,
                opened_version=Article.objects.get(pk=article.pk).version,
                existing={"sections": 1},
                inlines={
                    "sections": [
                        {"id": section.pk, "article": article.pk, "body": "Text", "position": 0}
                    ],
                    "quotes": [
                        {"text": "Hi", "speaker": "Mark", "section": placed_in.pk, "position": 0}
                    ],
                },
            ),
        )

    refused = save_quote_in(foreign)
    assert refused.status_code == 200
    assert "Select a valid choice" in refused.content.decode()
    assert not Quote.objects.exists()

    accepted = save_quote_in(section)
    assert accepted.status_code == 302, accepted.context["errors"]
    assert Quote.objects.get().section == section


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
            "sections": [{"subheading": "Kept", "body": "Paragraph worth keeping.", "position": 0}],
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


def test_quote_without_a_speaker_is_refused(admin_client):
    data = article_form(
        CategoryFactory(), inlines={"quotes": [{"text": "Anonymous words", "position": 0}]}
    )
    response = admin_client.post(reverse("admin:articles_article_add"), data)
    assert response.status_code == 200
    assert "This field is required." in response.content.decode()
    assert not Article.objects.exists()


def test_duplicate_slug_gets_a_field_error(admin_client):
    existing = ArticleFactory()
    data = article_form(existing.category, slug=existing.slug)
    response = admin_client.post(reverse("admin:articles_article_add"), data)
    assert response.status_code == 200
    assert "Article with this Slug already exists." in response.content.decode()
    assert Article.objects.count() == 1


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
    for heading in ["Byline (in order)", "Sections", "Quotes", "“More on …” links"]:
        assert heading in content
    assert "Friends Forever" in content
