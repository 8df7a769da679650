"""The article form and the article list."""

import json

import nested_admin
from django.conf import settings
from django.contrib import admin
from django.contrib.admin.models import LogEntry
from django.core.exceptions import PermissionDenied
from django.core.validators import slug_re
from django.db import IntegrityError, transaction
from django.db.models import Count, Prefetch, Q
from django.db.models.functions import Lower
from django.http import Http404, JsonResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from reversion.admin import VersionAdmin
from taggit.models import Tag

from .. import preview, reading
from ..editing import UnsavedChangesMixin
from ..forms import ArticleAdminForm, address_of, steps_for
from ..inlines import (
    BylineInline,
    CorrectionInline,
    LeadQuoteInline,
    MoreOnLinkInline,
    SectionInline,
)
from ..models import (
    Article,
    Author,
    Byline,
    Category,
    MoreOnLink,
    published_condition,
    renditions_of,
    scheduled_condition,
)
from ..photos.admin import lead_image_summary, thumbnail
from .actions import ListActionsMixin

# What a writer may still edit: their own work, until an editor takes it over.
WRITER_EDITABLE_STATUSES = {Article.Status.DRAFT, Article.Status.REVIEW}

NEXT_STEPS = {
    Article.Status.DRAFT: "Next step: finish the draft, then press “Submit for review”.",
    Article.Status.REVIEW: "Next step: an editor previews the article and publishes it.",
    Article.Status.PUBLISHED: "Live. If the story changes, add a correction or update below.",
    Article.Status.UNPUBLISHED: "Taken down. Readers get a 404; publish it again to restore it.",
}


ADDRESS_SLUG_ERROR = (
    "A slug is at most 200 letters, numbers, underscores or hyphens; change it, or empty "
    "it to have one made from the headline."
)


def can_publish(request):
    return request.user.has_perm("articles.publish_article")


class StatusFilter(admin.SimpleListFilter):
    title = "status"
    parameter_name = "state"

    def conditions(self):
        return {
            "draft": ("Draft", Q(status=Article.Status.DRAFT)),
            "review": ("In review", Q(status=Article.Status.REVIEW)),
            "scheduled": ("Scheduled", scheduled_condition()),
            "published": ("Published", published_condition()),
            "unpublished": ("Unpublished", Q(status=Article.Status.UNPUBLISHED)),
        }

    def lookups(self, request, model_admin):
        conditions = self.conditions()
        counts = model_admin.get_queryset(request).aggregate(
            **{key: Count("pk", filter=condition) for key, (_, condition) in conditions.items()}
        )
        return [(key, f"{label} ({counts[key]})") for key, (label, _) in conditions.items()]

    def queryset(self, request, queryset):
        if self.value() in self.conditions():
            return queryset.filter(self.conditions()[self.value()][1])
        return queryset


@admin.register(Article)
class ArticleAdmin(
    UnsavedChangesMixin, ListActionsMixin, nested_admin.NestedModelAdminMixin, VersionAdmin
):
    form = ArticleAdminForm
    list_display = [
        "headline",
        "lead_image_thumbnail",
        "category",
        "bylines_display",
        "status_display",
        "published_at",
    ]
    list_filter = [StatusFilter, "category", "published_at"]
    list_select_related = ["category", "lead_image"]
    search_fields = ["headline", "dek", "slug"]
    autocomplete_fields = ["category", "lead_image"]
    prepopulated_fields = {"slug": ("headline",)}
    date_hierarchy = "published_at"
    ordering = ["-updated_at"]
    actions = ["publish_now", "unpublish", "submit_for_review"]
    inlines = [
        BylineInline,
        LeadQuoteInline,
        SectionInline,
        MoreOnLinkInline,
        CorrectionInline,
    ]

    def get_fieldsets(self, request, obj=None):
        fieldsets = [
            (None, {"fields": ["headline", "slug", "dek", "category", "tags", "opened_version"]}),
            ("Lead image", {"fields": ["lead_image", "lead_image_preview"]}),
        ]
        if obj is not None:
            fieldsets += [
                ("Publication", {"fields": ["workflow", "publication_time"]}),
                ("Suggested “More on” links", {"fields": ["suggested_more_on"]}),
            ]
        return fieldsets

    def get_readonly_fields(self, request, obj=None):
        # Status and publication time change only through the publish bar's buttons.
        return ["workflow", "publication_time", "suggested_more_on", "lead_image_preview"]

    def render_change_form(self, request, context, *args, obj=None, **kwargs):
        steps = steps_for(obj or Article(), can_publish(request))
        context["publish_steps"] = [(name, step) for name, step in steps.items() if name != "save"]
        context["asks_note"] = any(step.asks_note for step in steps.values())
        context["asks_time"] = any(step.asks_time for step in steps.values())
        words = reading.article_words(obj)
        context["reading"] = {
            "words": words,
            "minutes": reading.reading_minutes(words),
            "summary": reading.summary(words),
            "words_per_minute": reading.WORDS_PER_MINUTE,
        }
        return super().render_change_form(request, context, *args, obj=obj, **kwargs)

    def construct_change_message(self, request, form, formsets, add=False):
        # The revision's comment and the history say which button was pressed, and why.
        message = super().construct_change_message(request, form, formsets, add)
        note = form.history_note()
        if not note:
            return message
        details = LogEntry(change_message=json.dumps(message)).get_change_message()
        return f"{note} {details}".strip()

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        form.can_publish = can_publish(request)
        form.version_before_revert = getattr(request, "article_version_before_revert", None)
        form.restoring = hasattr(request, "restored_changes")
        return form

    def get_formset_kwargs(self, request, obj, inline, prefix):
        kwargs = super().get_formset_kwargs(request, obj, inline, prefix)
        # A new article starts with the writer's own byline, which they may remove. Only
        # the blank form is filled: a posted form that kept it would count as unchanged.
        if isinstance(inline, BylineInline) and obj.pk is None and request.method != "POST":
            own = Author.objects.filter(user=request.user).values_list("pk", flat=True)
            kwargs["initial"] = [{"author": pk} for pk in own]
        return kwargs

    def get_inline_instances(self, request, obj=None):
        inlines = super().get_inline_instances(request, obj)
        # Corrections belong to published work, which only editors handle.
        if not can_publish(request):
            inlines = [inline for inline in inlines if not isinstance(inline, CorrectionInline)]
        return inlines

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .prefetch_related(
                Prefetch("bylines", queryset=Byline.objects.select_related("author")),
                Prefetch("lead_image__renditions", queryset=renditions_of("figure")),
            )
        )

    def has_publish_permission(self, request):
        return can_publish(request)

    def has_change_permission(self, request, obj=None):
        if not super().has_change_permission(request, obj):
            return False
        if obj is None or can_publish(request):
            return True
        return obj.created_by_id == request.user.pk and obj.status in WRITER_EDITABLE_STATUSES

    def has_delete_permission(self, request, obj=None):
        if obj is not None and not can_publish(request):
            return False
        return super().has_delete_permission(request, obj)

    def save_model(self, request, obj, form, change):
        if change:
            return super().save_model(request, obj, form, change)
        obj.created_by = request.user
        # Two new articles with one headline, saved at the same moment, both find the same
        # slug free: the second takes the next one rather than failing.
        version = obj.version
        for attempt in range(3):
            try:
                with transaction.atomic():
                    return super().save_model(request, obj, form, change)
            except IntegrityError:
                if attempt == 2 or not obj.slug_taken_by(obj.slug):
                    raise
                obj.version, obj.slug = version, obj.unique_slug(form.data.get("slug", ""))

    def view_on_site(self, obj):
        return obj.get_absolute_url() if obj.is_public else None

    def get_urls(self):
        preview_view = self.admin_site.admin_view(self.preview_view)
        tag_view = self.admin_site.admin_view(self.tag_suggestions_view)
        address_view = self.admin_site.admin_view(self.address_view)
        return [
            path("tags/suggest/", tag_view, name="articles_article_tag_suggestions"),
            path("address/", address_view, name="articles_article_address"),
            path("<path:object_id>/preview/", preview_view, name="articles_article_preview"),
            *super().get_urls(),
        ]

    def tag_suggestions_view(self, request):
        """Existing tags starting with `term`, for the tags field's suggestions."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        term = request.GET.get("term", "").strip()[:100]
        names = Tag.objects.filter(name__istartswith=term).order_by(Lower("name")) if term else []
        return JsonResponse({"results": [tag.name for tag in names[:10]]})

    def address_view(self, request):
        """The address an article will get with the form's headline, slug and category: the
        slug itself, or the next free one when another article has it."""
        article = Article()
        if request.GET.get("article"):
            article = self.get_object(request, request.GET["article"])
            if article is None:
                raise Http404("No such article.")
            if not self.has_change_permission(request, article):
                raise PermissionDenied
        elif not self.has_add_permission(request):
            raise PermissionDenied
        article.headline = request.GET.get("headline", "")[:200]
        wanted = request.GET.get("slug", "").strip()
        if not wanted and article.headline.strip():
            # As the save will: a headline of no letters or digits makes "article".
            wanted = article.headline_slug() or "article"
        if len(wanted) > 200 or (wanted and not slug_re.fullmatch(wanted)):
            return JsonResponse({"error": ADDRESS_SLUG_ERROR}, status=400)
        slug, message = address_of(article, wanted)
        category_id = request.GET.get("category", "")
        category = category_id.isdigit() and Category.objects.filter(pk=category_id).first()
        url = None
        if category and slug:
            address = reverse("articles:detail", args=[category.slug, slug])
            url = request.build_absolute_uri(address)
        return JsonResponse({"slug": slug, "url": url, "taken": slug != wanted, "message": message})

    def preview_view(self, request, object_id):
        article = self.get_object(request, object_id)
        if article is None:
            raise Http404("No such article.")
        if not self.has_view_permission(request, article):
            raise PermissionDenied
        share_link = request.build_absolute_uri(preview.preview_url(article))
        return preview.render_preview(request, article.pk, share_link=share_link)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        article = self.get_object(request, object_id)
        if article is not None:
            extra_context = {
                **(extra_context or {}),
                "preview_url": reverse("admin:articles_article_preview", args=[article.pk]),
                "preview_share_link": request.build_absolute_uri(preview.preview_url(article)),
                "preview_days": settings.PREVIEW_LINK_MAX_AGE // (24 * 60 * 60),
            }
        return super().change_view(request, object_id, form_url, extra_context)

    def revision_view(self, request, object_id, version_id, extra_context=None):
        # Restoring rewrites the row before the form is checked, so the lock
        # compares against the version that was current before the restore.
        request.article_version_before_revert = (
            Article.objects.filter(pk=object_id).values_list("version", flat=True).first()
        )
        return super().revision_view(request, object_id, version_id, extra_context)

    def delete_view(self, request, object_id, extra_context=None):
        inbound_links = MoreOnLink.objects.filter(target_id=object_id).select_related(
            "article__category"
        )
        return super().delete_view(
            request, object_id, {**(extra_context or {}), "inbound_links": inbound_links}
        )

    @admin.display(description="byline")
    def bylines_display(self, article):
        return ", ".join(author.name for author in article.byline_authors)

    @admin.display(description="lead image")
    def lead_image_thumbnail(self, article):
        return thumbnail(article.lead_image, width=80) if article.lead_image else ""

    @admin.display(description="chosen lead image")
    def lead_image_preview(self, article):
        # admin-lead-image.js replaces the summary when the editor picks another image.
        return format_html(
            '<div data-lead-image-summary data-library-url="{}">{}</div>',
            reverse("admin:articles_image_changelist"),
            lead_image_summary(article.lead_image if article.lead_image_id else None),
        )

    @admin.display(description="status", ordering="status")
    def status_display(self, article):
        return article.status_label

    @admin.display(description="status and next step")
    def workflow(self, article):
        if article.is_scheduled:
            return format_html(
                "<strong>Scheduled</strong>: goes live at {}. "
                "Press “Publish now” below, or schedule another time.",
                timezone.localtime(article.published_at).strftime("%Y-%m-%d %H:%M %Z"),
            )
        return format_html(
            "<strong>{}</strong>. {}", article.get_status_display(), NEXT_STEPS[article.status]
        )

    @admin.display(description="publication time")
    def publication_time(self, article):
        if article.published_at is None:
            return "None yet: “Publish now” or “Schedule” below sets it."
        return timezone.localtime(article.published_at).strftime("%Y-%m-%d %H:%M %Z")

    @admin.display(description="published articles sharing a tag")
    def suggested_more_on(self, article):
        related = Article.objects.related_to(article)
        if not related:
            return "None yet: tag the article to get suggestions."
        return format_html(
            "<ul>{}</ul>",
            format_html_join(
                "", "<li>{} <small>({})</small></li>", ((a.headline, a.category) for a in related)
            ),
        )
