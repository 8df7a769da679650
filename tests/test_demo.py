import io

import pytest
from django.core.management import call_command

from articles.models import Article, Author, Block, Category, MoreOnLink, Section
from articles.photos.models import Image, Rendition

pytestmark = pytest.mark.django_db


def counts():
    return [
        model.objects.count()
        for model in (Article, Author, Category, Section, Block, MoreOnLink, Image, Rendition)
    ]


def test_load_demo_is_idempotent(demo):
    before = counts()
    call_command("load_demo", stdout=io.StringIO())
    assert counts() == before


def test_demo_is_the_seed_article_in_full(demo):
    assert demo.dek.startswith('"Probably the last time Americans and Russians')
    assert [s.subheading for s in demo.sections.all()] == ["Small Talk", "Friends Forever"]
    assert demo.blocks.filter(kind="quote").count() == 4
    assert demo.blocks.get(section__isnull=True).speaker == "Chris Berger"
    # The pull quotes sit between paragraphs, as in the reference article.
    small_talk, friends_forever = demo.sections.all()
    assert [block.kind for block in small_talk.blocks.all()] == ["text", "quote", "text"]
    assert [block.kind for block in friends_forever.blocks.all()] == [
        "text",
        "quote",
        "text",
        "quote",
        "text",
    ]
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


def test_seed_article_has_an_illustration_credited_as_such(every_image_format, demo, client):
    image = demo.lead_image
    assert image.credit == "Illustration: Newsroom"
    assert image.alt_text and image.caption
    assert (image.width, image.height) == (1800, 1200)
    assert image.renditions.filter(spec="lead", format="AVIF").exists()
    content = client.get(demo.get_absolute_url()).content.decode()
    assert "Illustration: Newsroom" in content
    assert "<picture" in content


def test_load_demo_redraws_a_lost_illustration_without_duplicating_it(demo):
    image = demo.lead_image
    image.file.storage.delete(image.file.name)
    call_command("load_demo", stdout=io.StringIO())
    assert Image.objects.count() == 1
    image = Image.objects.get()
    assert image.file.storage.exists(image.file.name)


def test_generate_renditions_fills_gaps_and_is_safe_to_repeat(demo):
    Rendition.objects.filter(spec="card").delete()
    out = io.StringIO()
    call_command("generate_renditions", stdout=out)
    assert "Remade 1 rendition set(s) of 1 image(s)." in out.getvalue()
    assert Rendition.objects.filter(spec="card").exists()
    out = io.StringIO()
    call_command("generate_renditions", stdout=out)
    assert "Remade 0 rendition set(s) of 0 image(s)." in out.getvalue()
