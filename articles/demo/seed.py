"""Realistic articles in bulk, for load tests and for trying the site at scale.

`manage.py seed_articles --count N` builds N published articles from the demo article's
sections and blocks (reference.py), with generated headlines and deks, publication
times over five years, categories, 2–5 tags from a vocabulary of about 300, bylines,
More-on links and search documents, written with bulk inserts in batches.

What it creates is recognisable by its slugs, without a column of its own: articles end
in ``-seed-<number>``, and categories, authors and tags in ``-seed``, all from the fixed
vocabulary below. `--clear` removes exactly those (a seeded tag, category or author that
real articles use as well is kept).
"""

import copy
import random
import re
from datetime import timedelta

from django.contrib.contenttypes.models import ContentType
from django.db import connection, models, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.text import slugify
from taggit.models import Tag, TaggedItem

from .. import search
from ..delivery import changes, rendered, validators
from ..markdown import render_markdown
from ..models import Article, Author, Block, Byline, Category, MoreOnLink, Section
from . import reference

SEED_SUFFIX = "-seed"
ARTICLE_SLUG = re.compile(r"-seed-(\d+)$")

CATEGORIES = ["World", "Politics", "Business", "Science", "Technology", "Health", "Climate"]
AUTHOR_NAMES = [
    f"{first} {last}"
    for first, last in zip(
        "Ana Ben Chloé Dev Elif Femi Grace Hiro Ines Jonas Kwame Lena Mateo Nadia".split(),
        "Alvarez Brennan Chen Dubois Eriksen Fofana Gupta Haddad Ivanova Jensen Kim Lima "
        "Moreau Nakamura".split(),
        strict=True,
    )
]
PLACES = (
    "Argentina Australia Bangladesh Brazil Canada Chile China Colombia Egypt Ethiopia "
    "France Germany Ghana Greece India Indonesia Iran Ireland Italy Japan Kazakhstan Kenya "
    "Mexico Morocco Nigeria Norway Pakistan Peru Poland Portugal Russia Senegal Spain "
    "Sweden Turkey Ukraine Vietnam Berlin Lagos Lisbon Mumbai Nairobi Osaka Paris Seoul "
    "Texas California Scotland Bavaria Quebec Patagonia Siberia Antarctica Arctic Alps "
    "Andes Amazon Sahara Mediterranean Pacific Baltic Algeria Angola Austria Belgium "
    "Bolivia Cambodia Cameroon Croatia Cuba Denmark Ecuador Estonia Finland Georgia "
    "Guatemala Hungary Iceland Iraq Israel Jamaica Jordan Latvia Lebanon Libya Malaysia "
    "Mali Mongolia Nepal Netherlands Philippines Qatar Romania Rwanda Serbia Singapore "
    "Somalia Sudan Switzerland Taiwan Tanzania Thailand Tunisia Uganda Uruguay Zambia "
    "Zimbabwe Cairo Delhi Jakarta Istanbul Manila Toronto Chicago Sydney Rome Vienna"
).split()
ORGANISATIONS = (
    "NASA|ESA|Roscosmos|JAXA|ISRO|WHO|UN|UNESCO|IMF|World Bank|European Union|NATO|OPEC|"
    "African Union|ASEAN|G20|Federal Reserve|European Central Bank|Red Cross|SpaceX|CERN|"
    "Interpol|OECD|WTO|IPCC|Supreme Court|Parliament|Senate|Bundestag|Greenpeace"
).split("|")
TOPICS = (
    "elections|inflation|interest rates|housing|trade|tariffs|jobs|wages|pensions|taxes|"
    "budget|debt|energy|oil|gas|solar power|wind power|nuclear power|batteries|electric cars|"
    "railways|aviation|shipping|ports|farming|food prices|fisheries|water|drought|floods|"
    "wildfires|heatwaves|hurricanes|earthquakes|volcanoes|glaciers|sea ice|biodiversity|"
    "forests|oceans|coral reefs|air pollution|plastics|recycling|vaccines|cancer|malaria|"
    "mental health|hospitals|nursing|obesity|antibiotics|genetics|neuroscience|astronomy|"
    "space station|moon missions|Mars|satellites|telescopes|rockets|space debris|"
    "artificial intelligence|semiconductors|cybersecurity|privacy|social media|startups|"
    "quantum computing|robotics|broadband|smartphones|open source|data centres|schools|"
    "universities|research funding|migration|refugees|human rights|press freedom|courts|"
    "policing|prisons|corruption|protests|strikes|diplomacy|sanctions|ceasefire|defence|"
    "peace talks|archaeology|museums|cities|transport|cycling|tourism|football|Olympics|"
    "tennis|athletics|cricket|film|music|literature|theatre|fashion|food|wine|coffee|"
    "chocolate|languages|religion|families|childcare|ageing|disability|poverty|homelessness|"
    "banking|insurance|stock markets|cryptocurrency|mining|steel|cars|trucks|bridges|"
    "tunnels|dams|storms|tornadoes|tsunamis|air quality|bees|whales|wolves|birds|insects"
).split("|")
ACTORS = (
    "Lawmakers|Regulators|Scientists|Engineers|Health officials|Union leaders|Investors|"
    "Astronomers|Teachers|Doctors|Voters|Firefighters|Researchers|Diplomats|Farmers|"
    "Airlines|Mayors|Judges|Students|Economists|Climate scientists|Astronauts"
).split("|")
VERBS = (
    "approve|reject|unveil|delay|debate|question|defend|back|warn against|push for|"
    "celebrate|investigate|scrap|expand|weigh|test|rethink|fund|criticise|embrace"
).split("|")
OBJECTS = (
    "a plan on {topic}|new rules on {topic}|a study of {topic}|cuts to {topic}|"
    "a deal on {topic}|a ban linked to {topic}|a {org} report on {topic}|"
    "a {org} proposal on {topic}|spending on {topic}|a review of {topic}"
).split("|")
TAILS = [
    "in {place}",
    "as {org} meets",
    "after talks in {place}",
    "amid protests in {place}",
    "ahead of a vote",
    "despite warnings from {org}",
    "as {topic} tops the agenda",
    "",
]
DEKS = [
    "What the decision in {place} means for {topic}, and who pays for it.",
    "The move follows months of pressure from {org} over {topic}.",
    "Officials in {place} say the change will take effect next year.",
    "Critics warn the plan does too little, too late on {topic}.",
    "A quiet turn in the debate on {topic}, with {org} watching closely.",
]
TAG_NAMES = sorted({*PLACES, *ORGANISATIONS, *(topic.capitalize() for topic in TOPICS)})
YEARS = 5
# Rows seed_articles writes for each article, deleted by `--clear` without signals.
SEEDED_CHILDREN = (Byline, Section, Block, MoreOnLink)


def seed_slug(name):
    return f"{slugify(name)}{SEED_SUFFIX}"


def seeded_articles():
    """The articles seed_articles made: a seeded slug in a seeded category."""
    return Article.objects.filter(
        slug__regex=ARTICLE_SLUG.pattern,
        category__slug__in=[seed_slug(name) for name in CATEGORIES],
    )


class Seeder:
    """Builds articles from the demo's bodies; `create()` writes them in batches."""

    def __init__(self, seed=0, batch_size=1000, progress=None):
        self.random = random.Random(seed)
        self.batch_size = batch_size
        self.progress = progress or (lambda done, total: None)
        self.now = timezone.now()

    def create(self, count):
        """Create `count` published articles; returns their ids."""
        self.categories = self._categories()
        self.authors = self._authors()
        self.tags = self._tags()
        self.tags_by_name = dict(zip(TAG_NAMES, self.tags, strict=True))
        self.bodies = [self._body(data) for data in reference.ARTICLES]
        self.next_number = self._next_number()
        self.content_type = ContentType.objects.get_for_model(Article)
        ids = []
        for start in range(0, count, self.batch_size):
            with transaction.atomic():
                ids += self._create_batch(min(self.batch_size, count - start), ids)
            self.progress(len(ids), count)
        validators.move_generation()
        refresh_statistics()
        return ids

    def _categories(self):
        existing = {c.slug: c for c in Category.objects.filter(slug__endswith=SEED_SUFFIX)}
        categories = []
        for position, name in enumerate(CATEGORIES):
            category = existing.get(seed_slug(name))
            if category is None:
                category = Category.objects.create(
                    name=name,
                    slug=seed_slug(name),
                    position=100 + position,
                    description=f"The latest {name.lower()} news.",
                )
            categories.append(category)
        return categories

    def _authors(self):
        existing = {a.slug: a for a in Author.objects.filter(slug__endswith=SEED_SUFFIX)}
        roles = ["Reporter", "Correspondent", "Senior editor", "Data reporter"]
        authors = []
        for index, name in enumerate(AUTHOR_NAMES):
            author = existing.get(seed_slug(name))
            if author is None:
                author = Author.objects.create(
                    name=name,
                    slug=seed_slug(name),
                    role=roles[index % len(roles)],
                    bio=f"{name} writes about {TOPICS[index * 7 % len(TOPICS)]}.",
                )
            authors.append(author)
        return authors

    def _tags(self):
        """Tags by name: the seed's own, or a real tag of the same name (never renamed)."""
        by_name = {tag.name.lower(): tag for tag in Tag.objects.filter(name__in=TAG_NAMES)}
        by_name |= {tag.name.lower(): tag for tag in Tag.objects.filter(slug__endswith=SEED_SUFFIX)}
        missing = [
            Tag(name=name, slug=seed_slug(name))
            for name in TAG_NAMES
            if name.lower() not in by_name
        ]
        for tag in Tag.objects.bulk_create(missing):
            by_name[tag.name.lower()] = tag
        return [by_name[name.lower()] for name in TAG_NAMES]

    def _body(self, data):
        """Sections and blocks (Markdown rendered once, here) of one demo article."""
        sections = [
            Section(pk=index + 1, position=index, subheading=s["subheading"])
            for index, s in enumerate(data["sections"])
        ]
        blocks = [
            Block(kind=Block.Kind.QUOTE, position=i, **quote)
            for i, quote in enumerate(data["lead_quotes"])
        ]
        for section, section_data in zip(sections, data["sections"], strict=True):
            blocks += [
                Block(section_id=section.pk, position=i, **block)
                for i, block in enumerate(reference.blocks(section_data))
            ]
        for block in blocks:
            block.body_html = render_markdown(block.body)
        return sections, blocks, search.plain_text(sections, blocks)

    def _next_number(self):
        numbers = [
            int(ARTICLE_SLUG.search(slug).group(1))
            for slug in seeded_articles().values_list("slug", flat=True)
        ]
        return max(numbers, default=0) + 1

    def _create_batch(self, size, earlier_ids):
        plans = [self._plan() for _ in range(size)]
        articles = Article.objects.bulk_create([plan["article"] for plan in plans])
        ids = [article.pk for article in articles]
        # bulk_create stamps updated_at with now: a seeded story was never updated.
        Article.objects.filter(pk__in=ids).update(updated_at=F("published_at"))
        self._create_children(articles, plans, earlier_ids + ids)
        search.index_documents(ids)
        rendered.store(ids)
        return ids

    def _plan(self):
        number, self.next_number = self.next_number, self.next_number + 1
        words = self._words()
        headline = self._headline(words)
        tags = self._tags_for(words)
        body = self.random.choice(self.bodies)
        article = Article(
            headline=headline,
            slug=f"{slugify(headline)[:180]}-seed-{number}",
            dek=self.random.choice(DEKS).format(**words),
            category=self.random.choice(self.categories),
            status=Article.Status.PUBLISHED,
            published_at=self.now - timedelta(seconds=self.random.randint(60, YEARS * 365 * 86400)),
            version=1,
            search_tags=" ".join(sorted(tag.name for tag in tags)),
            search_body=body[2],
        )
        authors = self.random.sample(self.authors, self.random.choice([1, 1, 1, 2, 2, 3]))
        return {"article": article, "tags": tags, "body": body, "authors": authors}

    def _words(self):
        return {
            "place": self.random.choice(PLACES),
            "org": self.random.choice(ORGANISATIONS),
            "topic": self.random.choice(TOPICS),
        }

    def _tags_for(self, words):
        """2–5 tags: what the headline is about first, then related subjects."""
        named = [words["place"], words["org"], words["topic"].capitalize()]
        tags = [self.tags_by_name[name] for name in self.random.sample(named, 2)]
        wanted = self.random.randint(2, 5)
        while len(tags) < wanted:
            tag = self.random.choice(self.tags)
            if tag not in tags:
                tags.append(tag)
        return tags

    def _headline(self, words):
        actor = self.random.choice(ACTORS)
        verb = self.random.choice(VERBS)
        thing = self.random.choice(OBJECTS).format(**words)
        # The tail names other things: "… on hospitals as hospitals tops the agenda" reads badly.
        tail = self.random.choice(TAILS).format(**self._words())
        return " ".join(filter(None, [actor, verb, thing, tail]))[:200]

    def _create_children(self, articles, plans, linkable_ids):
        bylines, sections, tagged = [], [], []
        for article, plan in zip(articles, plans, strict=True):
            bylines += [
                Byline(article=article, author=author, position=position)
                for position, author in enumerate(plan["authors"])
            ]
            tagged += [
                TaggedItem(content_type=self.content_type, object_id=article.pk, tag=tag)
                for tag in plan["tags"]
            ]
            sections += [
                Section(
                    article=article,
                    position=template.position,
                    subheading=template.subheading,
                )
                for template in plan["body"][0]
            ]
        Byline.objects.bulk_create(bylines)
        TaggedItem.objects.bulk_create(tagged)
        Section.objects.bulk_create(sections)
        Block.objects.bulk_create(self._blocks(articles, plans, iter(sections)))
        MoreOnLink.objects.bulk_create(self._links(articles, plans, linkable_ids))

    def _blocks(self, articles, plans, sections):
        blocks = []
        for article, plan in zip(articles, plans, strict=True):
            templates, template_blocks, _text = plan["body"]
            section_pk = {template.pk: next(sections).pk for template in templates}
            for template in template_blocks:
                block = copy.copy(template)
                block.article, block.section_id = article, section_pk.get(template.section_id)
                blocks.append(block)
        return blocks

    def _links(self, articles, plans, linkable_ids):
        links = []
        for article, plan in zip(articles, plans, strict=True):
            candidates = self.random.sample(linkable_ids, min(2, len(linkable_ids)))
            targets = [pk for pk in candidates if pk != article.pk]
            for position, target in enumerate(targets[: self.random.randint(0, 2)]):
                links.append(
                    MoreOnLink(
                        article=article,
                        position=position,
                        topic=plan["tags"][position].name,
                        target_id=target,
                    )
                )
        return links


def refresh_statistics():
    """Tell the query planner how many rows there are now (SQLite never finds out alone)."""
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def clear(batch_size=500):
    """Delete what the seeder made, and nothing else; returns how many articles went."""
    ids = list(seeded_articles().values_list("pk", flat=True))
    with transaction.atomic():
        for start in range(0, len(ids), batch_size):
            _delete_articles(ids[start : start + batch_size])
        for model, names in ((Category, CATEGORIES), (Author, AUTHOR_NAMES)):
            model.objects.filter(
                slug__in=[seed_slug(name) for name in names], articles__isnull=True
            ).delete()
        Tag.objects.filter(slug__endswith=SEED_SUFFIX, name__in=TAG_NAMES).filter(
            taggit_taggeditem_items__isnull=True
        ).delete()
        # Moves the validators once this commits, and renders the linking articles again.
        changes.articles_changed([])
    return len(ids)


def _delete_articles(ids):
    # Plain DELETEs: the ORM would send the change map's signals for every row. The
    # caller notes the change once; search is refreshed per batch.
    content_type = ContentType.objects.get_for_model(Article)
    # Real articles whose More-on links point here lose them: render them again.
    linking = MoreOnLink.objects.filter(target_id__in=ids).exclude(article_id__in=ids)
    changes.articles_changed(list(linking.values_list("article_id", flat=True)))
    TaggedItem.objects.filter(content_type=content_type, object_id__in=ids)._raw_delete(
        connection.alias
    )
    Block.objects.filter(article_id__in=ids)._raw_delete(connection.alias)
    for relation in Article._meta.related_objects:
        rows = relation.related_model._base_manager.filter(**{f"{relation.field.name}__in": ids})
        if relation.related_model in SEEDED_CHILDREN:
            rows._raw_delete(connection.alias)
        elif relation.on_delete is models.CASCADE:
            # Anything an editor added to a seeded article (a correction, a figure).
            rows.delete()
        elif relation.on_delete is models.SET_NULL:
            rows.update(**{relation.field.name: None})
    Article.objects.filter(pk__in=ids)._raw_delete(connection.alias)
    search.refresh(ids)
