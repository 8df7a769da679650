"""The article list's actions: publish now, unpublish, submit for review."""

from django.contrib import admin, messages
from django.utils import timezone

from ..models import (
    Article,
)


class ListActionsMixin:
    @admin.action(description="Publish now", permissions=["publish"])
    def publish_now(self, request, queryset):
        now = timezone.now()
        published = 0
        for article in queryset:
            missing = article.images_missing_alt_text()
            if missing:
                self.message_user(
                    request,
                    f"“{article}” was not published: "
                    + ", ".join(f"“{image}”" for image in missing)
                    + (" has" if len(missing) == 1 else " have")
                    + " no alt text. Add it in the photo library, then publish again.",
                    messages.ERROR,
                )
                continue
            article.status = Article.Status.PUBLISHED
            if article.published_at is None or article.published_at > now:
                article.published_at = now
            self._save_with_revision(request, article, "Published now.")
            published += 1
        if published:
            self.message_user(request, f"Published {published} article(s).", messages.SUCCESS)

    @admin.action(description="Unpublish", permissions=["publish"])
    def unpublish(self, request, queryset):
        for article in queryset:
            article.status = Article.Status.UNPUBLISHED
            self._save_with_revision(request, article, "Unpublished.")
        self.message_user(request, f"Unpublished {len(queryset)} article(s).", messages.SUCCESS)

    @admin.action(description="Submit for review", permissions=["change"])
    def submit_for_review(self, request, queryset):
        submitted = 0
        for article in queryset.filter(status=Article.Status.DRAFT):
            if self.has_change_permission(request, article):
                article.status = Article.Status.REVIEW
                self._save_with_revision(request, article, "Submitted for review.")
                submitted += 1
        skipped = len(queryset) - submitted
        self.message_user(request, f"Submitted {submitted} article(s) for review.")
        if skipped:
            self.message_user(
                request,
                f"Skipped {skipped}: only drafts you may edit can be submitted.",
                messages.WARNING,
            )

    def _save_with_revision(self, request, article, comment):
        with self.create_revision(request):
            article.save()
            self.log_change(request, article, comment)
