"""What delivery keeps besides the content: stored article parts and the content clock."""

from django.db import models
from django.utils import timezone


class RenderedArticle(models.Model):
    """An article's HTML and page facts, rendered when it or anything it shows changes.

    Pages put these together instead of querying and rendering the article's parts on
    every request (rendered.py). A row is deleted in the same transaction as
    any change it depends on, and rendered again when that transaction commits: readers
    never see a stale one, and a page whose row is missing renders the article live.
    """

    article = models.OneToOneField(
        "articles.Article", on_delete=models.CASCADE, primary_key=True, related_name="rendered"
    )
    # The render key of the templates, code and settings that made it (rendered.py): after
    # a release changes any of them, each article is rendered again when next shown.
    template_key = models.CharField(max_length=32)
    # The publication time of a scheduled More-on target that this body leaves out.
    expires_at = models.DateTimeField(null=True, blank=True)
    card = models.TextField()
    lead_card = models.TextField()
    body = models.TextField()
    tags = models.TextField()
    feed = models.TextField()
    # What the page's metadata and the feeds say about it, with site-relative URLs.
    facts = models.JSONField()
    rendered_at = models.DateTimeField(auto_now=True)

    def __str__(self):
        return f"Rendered {self.article_id}"


class ContentVersion(models.Model):
    """One row: when anything readers can see last changed (HTTP validators, caches).

    Moved after each commit that changed content (changes.py), never inside a writer's
    transaction: a row every writer updated would make each wait for the others.
    """

    changed_at = models.DateTimeField(default=timezone.now)

    def __str__(self):
        return f"Content changed at {self.changed_at:%Y-%m-%d %H:%M:%S}"
