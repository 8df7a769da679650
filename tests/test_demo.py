import io

import pytest
from django.core.management import call_command

from articles.models import Article, Author, Category, MoreOnLink, Quote, Section

pytestmark = pytest.mark.django_db


def counts():
    return [
        model.objects.count() for model in (Article, Author, Category, Section, Quote, MoreOnLink)
    ]


def test_load_demo_is_idempotent(demo):
    before = counts()
    call_command("load_demo", stdout=io.StringIO())
    assert counts() == before


def test_demo_is_the_seed_article_in_full(demo):
    assert demo.dek.startswith('"Probably the last time Americans and Russians')
    assert [s.subheading for s in demo.sections.all()] == ["Small Talk", "Friends Forever"]
    assert Quote.objects.filter(article=demo).count() == 4
    assert demo.quotes.filter(section__isnull=True).get().speaker == "Chris Berger"
    assert demo.category.name == "Space"
    assert sorted(demo.tags.names()) == ["ISS", "NASA", "Roscosmos", "Russia"]
    assert len(demo.byline_authors) == 2
    link = demo.more_on_links.get()
    assert link.topic == "the ISS"
    assert link.target.headline == (
        "Russian Cosmonaut Hands Over Command of Space Station to NASA Astronaut"
    )
    assert set(Article.objects.published()) == {demo, link.target}


def test_load_demo_restores_edited_demo_content(demo):
    demo.sections.first().delete()
    demo.headline = "Changed"
    demo.save()
    call_command("load_demo", stdout=io.StringIO())
    demo.refresh_from_db()
    assert demo.headline.startswith("NASA Astronaut")
    assert demo.sections.count() == 2
