"""Unsaved changes: what an editor has typed into the article form, kept on the server.

The form's script sends its fields every few seconds and when the page is left; coming
back to the form offers to restore them. Never a revision and never public: only the
editor who typed them sees them, and a successful save of the form throws them away.
"""

from django.conf import settings
from django.db import models
from django.http import QueryDict
from django.utils import timezone

# Fields that say how the form was submitted rather than what it holds.
NOT_KEPT = {"csrfmiddlewaretoken", "_continue", "_workflow", "_save", "_addanother"}


class UnsavedChanges(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="unsaved_changes"
    )
    # Empty for a new article's form, which has no article yet.
    article = models.ForeignKey(
        "articles.Article", on_delete=models.CASCADE, null=True, related_name="unsaved_changes"
    )
    # The form's fields as [name, value] pairs, in the form's order (repeats kept).
    fields = models.JSONField()
    kept_at = models.DateTimeField()

    class Meta:
        verbose_name_plural = "unsaved changes"
        constraints = [
            models.UniqueConstraint(fields=["user", "article"], name="unsaved_changes_per_form"),
            models.UniqueConstraint(
                fields=["user"],
                condition=models.Q(article__isnull=True),
                name="unsaved_changes_per_new_form",
            ),
        ]

    def __str__(self):
        return f"{self.user}'s unsaved changes to {self.article or 'a new article'}"

    def as_form_data(self):
        data = QueryDict(mutable=True)
        for name, value in self.fields:
            data.appendlist(name, value)
        return data


def kept_fields(post):
    return [
        [name, value] for name, values in post.lists() if name not in NOT_KEPT for value in values
    ]


def keep(user, article, post):
    """Store the posted form's fields for this user and article, replacing older ones."""
    changes, _ = UnsavedChanges.objects.update_or_create(
        user=user,
        article=article,
        defaults={"fields": kept_fields(post), "kept_at": timezone.now()},
    )
    return changes


def find(user, article):
    return UnsavedChanges.objects.filter(user=user, article=article).first()


def discard(user, article):
    UnsavedChanges.objects.filter(user=user, article=article).delete()
