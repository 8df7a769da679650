"""The parts of an article that editors write on its page: bylines, sections, quotes,
figures, "More on …" links and corrections.

Each is declared once more in the change map (articles/delivery/changes.py), which keeps
stored pages, search documents and revisions in step with it. Relations to the article
are named as strings: models.py imports this module, never the reverse.
"""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone

from .markdown import render_markdown
from .photos.models import Image


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
    article = models.ForeignKey(
        "articles.Article", on_delete=models.CASCADE, related_name="sections"
    )
    position = models.PositiveIntegerField(default=0)
    subheading = models.CharField(
        max_length=200, blank=True, help_text="Optional. Shown as a subheading above the text."
    )
    body = models.TextField(
        blank=True,
        help_text="Markdown: blank lines between paragraphs, *emphasis*, **bold**, "
        "[link text](https://…), “- ” for lists, “> ” for block quotes.",
    )
    body_html = models.TextField(blank=True, editable=False)

    class Meta:
        ordering = ["position", "id"]

    def __str__(self):
        return self.subheading or f"Section {self.position}"

    def save(self, *args, **kwargs):
        self.body_html = render_markdown(self.body)
        super().save(*args, **kwargs)


class Quote(models.Model):
    article = models.ForeignKey("articles.Article", on_delete=models.CASCADE, related_name="quotes")
    section = models.ForeignKey(
        Section,
        on_delete=models.CASCADE,
        related_name="quotes",
        null=True,
        blank=True,
        help_text="The section where it shows as a pull quote; empty for the lead quote.",
    )
    position = models.PositiveIntegerField(default=0)
    text = models.TextField(help_text="The quoted words, without quotation marks.")
    speaker = models.CharField(max_length=200)
    speaker_role = models.CharField(
        max_length=200, blank=True, help_text="E.g. “NASA administrator”."
    )
    source_name = models.CharField(
        max_length=200, blank=True, help_text="Where it was said or published."
    )
    source_url = models.URLField(blank=True, max_length=500)
    said_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["position", "id"]
        indexes = [
            # An article's lead quotes (section IS NULL): without it SQLite reads every
            # lead quote of the site through the section index.
            models.Index(fields=["article", "section"], name="quote_article_section_idx"),
        ]

    def __str__(self):
        return f"{self.speaker}: {self.text[:60]}"

    def clean(self):
        if self.section_id and self.article_id and self.section.article_id != self.article_id:
            raise ValidationError({"section": "Choose a section of this article."})


class Figure(models.Model):
    """An image placed in one of the article's sections, shown after its text."""

    article = models.ForeignKey(
        "articles.Article", on_delete=models.CASCADE, related_name="figures"
    )
    section = models.ForeignKey(
        "articles.Section",
        on_delete=models.CASCADE,
        related_name="figures",
        help_text="The section it is shown in, after the text.",
    )
    image = models.ForeignKey(Image, on_delete=models.PROTECT, related_name="figures")
    caption = models.TextField(
        blank=True,
        help_text="Shown under the image. Empty: the image's own caption from the library.",
    )
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]

    def __str__(self):
        return f"Figure {self.position + 1}"

    def clean(self):
        if self.section_id and self.article_id and self.section.article_id != self.article_id:
            raise ValidationError({"section": "Choose a section of this article."})

    @property
    def shown_caption(self):
        return self.caption or self.image.caption


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
