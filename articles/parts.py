"""The parts of an article that editors write on its page: bylines, sections and their
blocks (text, quotes, photos, embeds), "More on …" links and corrections.

Each is declared once more in the change map (articles/delivery/changes.py), which keeps
stored pages, search documents and revisions in step with it. Relations to the article
are named as strings: models.py imports this module, never the reverse.
"""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.functional import cached_property

from . import embeds
from .markdown import render_markdown
from .photos.models import Image

# Feed readers show a body photo at most this wide.
FEED_PHOTO_WIDTH = 1024


class Byline(models.Model):
    article = models.ForeignKey(
        "articles.Article", on_delete=models.CASCADE, related_name="bylines"
    )
    author = models.ForeignKey("articles.Author", on_delete=models.PROTECT, related_name="bylines")
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["article", "author"], name="byline_author_once"),
        ]
        indexes = [models.Index(fields=["author", "article"], name="byline_author_idx")]

    def __str__(self):
        return f"{self.author} on {self.article}"


class Section(models.Model):
    """A run of the article's body under an optional subheading; its blocks are the body."""

    article = models.ForeignKey(
        "articles.Article", on_delete=models.CASCADE, related_name="sections"
    )
    position = models.PositiveIntegerField(default=0)
    subheading = models.CharField(
        max_length=200, blank=True, help_text="Optional. Shown as a subheading above the text."
    )

    class Meta:
        ordering = ["position", "id"]

    def __str__(self):
        return self.subheading or f"Section {self.position + 1}"


MARKDOWN_HELP = (
    "Markdown: blank lines between paragraphs, *emphasis*, **bold**, [link text](https://…), "
    "“- ” for lists, “> ” for block quotes."
)


# Generous for one block (some 8,000 words, more than most whole articles), and checked
# by clean() rather than by the column: a longer text belongs in more blocks, and the
# message at the field says so.
BODY_MAX_LENGTH = 50_000


def text_length(value):
    """Characters as the browser counts them: one per line break, which forms send as two."""
    return len(value.replace("\r\n", "\n"))


class Block(models.Model):
    """One piece of a section's body, in reading order: text, a quote, a photo or an embed.

    One table for every kind, so a section's body is one ordered list that editors rearrange
    freely and readers' pages fetch in one query. A quote block outside any section is one
    of the article's lead quotes, shown under the headline.
    """

    class Kind(models.TextChoices):
        TEXT = "text", "Text"
        QUOTE = "quote", "Quote"
        PHOTO = "photo", "Photo"
        EMBED = "embed", "Embed"

    article = models.ForeignKey("articles.Article", on_delete=models.CASCADE, related_name="blocks")
    section = models.ForeignKey(
        Section,
        on_delete=models.CASCADE,
        related_name="blocks",
        null=True,
        blank=True,
        help_text="Empty for the article's lead quote.",
    )
    position = models.PositiveIntegerField(default=0)
    kind = models.CharField(max_length=10, choices=Kind, default=Kind.TEXT)
    # Text
    body = models.TextField(blank=True, help_text=MARKDOWN_HELP)
    body_html = models.TextField(blank=True, editable=False)
    # Quote
    text = models.TextField("quoted words", blank=True, help_text="Without quotation marks.")
    speaker = models.CharField(max_length=200, blank=True)
    speaker_role = models.CharField(
        max_length=200, blank=True, help_text="E.g. “NASA administrator”."
    )
    source_name = models.CharField(
        max_length=200, blank=True, help_text="Where it was said or published."
    )
    source_url = models.URLField(blank=True, max_length=500)
    said_on = models.DateField(null=True, blank=True)
    # Photo
    image = models.ForeignKey(
        Image, on_delete=models.PROTECT, related_name="blocks", null=True, blank=True
    )
    caption = models.TextField(
        blank=True,
        help_text="Shown under the photo. Empty: the photo's own caption from the library.",
    )
    # Embed
    url = models.URLField(
        "embed URL",
        blank=True,
        max_length=500,
        help_text="The address of a post, video, audio, chart or document, as its site shows it.",
    )
    provider = models.CharField(max_length=40, blank=True, editable=False)
    title = models.CharField(
        max_length=300, blank=True, help_text="Shown on the embed's placeholder."
    )

    class Meta:
        ordering = ["position", "id"]
        indexes = [
            # An article's lead quotes (section IS NULL): without it SQLite reads every
            # lead quote of the site through the section index.
            models.Index(fields=["article", "section"], name="block_article_section_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                name="block_has_its_kinds_content",
                condition=(
                    Q(kind="text", body__gt="")
                    | Q(kind="quote", text__gt="", speaker__gt="")
                    | Q(kind="photo", image__isnull=False)
                    | Q(kind="embed", url__gt="")
                ),
                violation_error_message="A block needs its content: text, a quote and its "
                "speaker, a photo or an embed URL.",
            ),
            models.CheckConstraint(
                name="block_outside_sections_is_a_quote",
                condition=Q(section__isnull=False) | Q(kind="quote"),
                violation_error_message="Only a quote can stand outside the sections.",
            ),
        ]

    def __str__(self):
        summary = {
            self.Kind.TEXT: self.body,
            self.Kind.QUOTE: f"{self.speaker}: {self.text}",
            self.Kind.PHOTO: str(self.image) if self.image_id else "",
            self.Kind.EMBED: self.url,
        }.get(self.kind, "")
        return f"{self.get_kind_display()}: {summary[:60]}"

    def save(self, *args, **kwargs):
        # Each kind keeps only its own fields, so a block switched from one kind to another
        # leaves nothing stale behind in search documents or feeds.
        kept = KIND_FIELDS[self.kind]
        for kind, names in KIND_FIELDS.items():
            if kind != self.kind:
                for name in names - kept:
                    field = self._meta.get_field(name)
                    setattr(self, field.attname, None if field.null else "")
        self.body_html = render_markdown(self.body) if self.kind == self.Kind.TEXT else ""
        if self.kind == self.Kind.EMBED and self.embed:
            self.provider = self.embed.provider
            # Looked up once, here, with a short timeout: never on a reader's request.
            self.title = self.title or embeds.fetch_title(self.embed)
        super().save(*args, **kwargs)

    @property
    def shown_caption(self):
        return self.caption or (self.image.caption if self.image_id else "")

    @property
    def feed_rendition(self):
        """One JPEG for feed readers, which get no <picture> choices."""
        return self.image.rendition("figure", max_width=FEED_PHOTO_WIDTH) if self.image_id else None

    @cached_property
    def embed(self):
        """What readers are shown of an embed block: None if its URL is no longer one we
        know how to embed (readers then get a plain link)."""
        if self.kind != self.Kind.EMBED or not self.url:
            return None
        try:
            return embeds.recognise(self.url)
        except ValidationError:
            return None

    def clean(self):
        errors = {}
        if self.section_id and self.article_id and self.section.article_id != self.article_id:
            errors["section"] = "Choose a section of this article."
        if self.kind == self.Kind.TEXT and not self.body.strip():
            errors["body"] = "Write the text, or remove this block."
        elif self.kind == self.Kind.TEXT and text_length(self.body) > BODY_MAX_LENGTH:
            errors["body"] = ValidationError(
                "This text is %(length)s characters long; a text block holds at most "
                "%(limit)s. Split it into more blocks: add a text block after this one and "
                "move the rest there.",
                code="max_length",
                params={"length": f"{text_length(self.body):,}", "limit": f"{BODY_MAX_LENGTH:,}"},
            )
        elif self.kind == self.Kind.QUOTE:
            if not self.text.strip():
                errors["text"] = "Type the quoted words, or remove this quote."
            if not self.speaker.strip():
                errors["speaker"] = (
                    "Who said it? Give the speaker's name: readers must know whose words these are."
                )
        elif self.kind == self.Kind.PHOTO and not self.image_id:
            errors["image"] = "Choose a photo from the library, or remove this block."
        elif self.kind == self.Kind.EMBED:
            if not self.url:
                errors["url"] = "Paste the address of what to embed, or remove this block."
            else:
                try:
                    self.url = embeds.recognise(self.url).url
                except ValidationError as error:
                    errors["url"] = error.messages
        # A block written in a new section has the section (not yet its id) until saved.
        in_a_section = self.section_id is not None or (
            Block.section.is_cached(self) and self.section is not None
        )
        if not in_a_section and self.kind != self.Kind.QUOTE:
            errors["kind"] = "Only a quote can stand outside the sections."
        if errors:
            raise ValidationError(errors)


KIND_FIELDS = {
    Block.Kind.TEXT: {"body"},
    Block.Kind.QUOTE: {"text", "speaker", "speaker_role", "source_name", "source_url", "said_on"},
    Block.Kind.PHOTO: {"image", "caption"},
    Block.Kind.EMBED: {"url", "provider", "title"},
}


class MoreOnLink(models.Model):
    article = models.ForeignKey(
        "articles.Article", on_delete=models.CASCADE, related_name="more_on_links"
    )
    position = models.PositiveIntegerField(default=0)
    topic = models.CharField(
        max_length=100, help_text="Shown as “More on {topic}: …”, e.g. “the ISS”."
    )
    target = models.ForeignKey(
        "articles.Article",
        on_delete=models.CASCADE,
        related_name="inbound_more_on_links",
        null=True,
        blank=True,
        help_text="An article of this site; its current headline is the link text. "
        "Hidden while that article is not published.",
    )
    url = models.URLField("external URL", blank=True, max_length=500)
    title = models.CharField(
        max_length=200, blank=True, help_text="The link text of an external URL."
    )

    class Meta:
        ordering = ["position", "id"]
        constraints = [
            models.CheckConstraint(
                name="more_on_link_has_exactly_one_target",
                condition=Q(target__isnull=False, url="", title="")
                | Q(target__isnull=True, url__gt="", title__gt=""),
                violation_error_message="Link either to an article of this site, "
                "or to an external URL with its title; not both.",
            ),
        ]

    def __str__(self):
        return f"More on {self.topic}: {self.link_title}"

    @property
    def link_title(self):
        return self.target.headline if self.target_id else self.title

    @property
    def link_url(self):
        return self.target.get_absolute_url() if self.target_id else self.url

    def clean(self):
        if self.target_id and (self.url or self.title):
            raise ValidationError(
                "Link either to an article of this site or to an external URL, not both: "
                "clear the external URL and title, or the article."
            )
        if not self.target_id and not self.url:
            raise ValidationError("Choose an article of this site, or enter an external URL.")
        if self.url and not self.title:
            raise ValidationError({"title": "Give the external link its title."})
        if self.target_id and self.target_id == self.article_id:
            raise ValidationError({"target": "An article can't link to itself."})


class Correction(models.Model):
    class Kind(models.TextChoices):
        CORRECTION = "correction", "Correction"
        UPDATE = "update", "Update"

    article = models.ForeignKey(
        "articles.Article", on_delete=models.CASCADE, related_name="corrections"
    )
    kind = models.CharField(max_length=20, choices=Kind, default=Kind.CORRECTION)
    text = models.TextField(
        help_text="What was wrong and what is right now, or what changed in the story."
    )
    noted_at = models.DateTimeField(
        default=timezone.now, help_text="When the article was corrected or updated."
    )

    class Meta:
        ordering = ["noted_at", "id"]

    def __str__(self):
        return f"{self.get_kind_display()}, {self.noted_at:%Y-%m-%d}"

    def save(self, *args, **kwargs):
        super().save(*args, **kwargs)
        # A correction is a change readers must be told about: it moves the
        # article's "updated" time.
        articles = self._meta.get_field("article").related_model.objects
        articles.filter(pk=self.article_id, updated_at__lt=self.noted_at).update(
            updated_at=self.noted_at
        )
