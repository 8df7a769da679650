from django.contrib import admin
from django.db import models
from django.db.models import Prefetch

from .models import Article, Author, Byline, Category, MoreOnLink, Quote, Section

# A scheme-less URL an editor types ("nasa.gov") means https, as in Django 6.0.
HTTPS_URL_FIELDS = {models.URLField: {"assume_scheme": "https"}}


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "position"]
    list_editable = ["position"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ("name",)}


@admin.register(Author)
class AuthorAdmin(admin.ModelAdmin):
    list_display = ["name", "role", "slug"]
    search_fields = ["name", "role"]
    prepopulated_fields = {"slug": ("name",)}


class BylineInline(admin.TabularInline):
    model = Byline
    autocomplete_fields = ["author"]
    fields = ["author", "position"]
    extra = 1
    verbose_name = "author"
    verbose_name_plural = "byline (in order)"


class SectionInline(admin.StackedInline):
    model = Section
    fields = ["subheading", "body", "position"]
    extra = 0


class QuoteInline(admin.StackedInline):
    model = Quote
    fk_name = "article"
    formfield_overrides = HTTPS_URL_FIELDS
    fields = [
        "text",
        ("speaker", "speaker_role"),
        ("source_name", "source_url", "said_on"),
        ("section", "position"),
    ]
    extra = 0

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        # Only this article's own sections; a new article has none until it is saved.
        section_field = formset.form.base_fields["section"]
        section_field.queryset = (
            Section.objects.filter(article=obj) if obj else Section.objects.none()
        )
        section_field.empty_label = "— none: the article's lead quote —"
        return formset


class MoreOnLinkInline(admin.TabularInline):
    model = MoreOnLink
    fk_name = "article"
    formfield_overrides = HTTPS_URL_FIELDS
    fields = ["topic", "target", "url", "title", "position"]
    autocomplete_fields = ["target"]
    extra = 0
    verbose_name = "“More on …” link"
    verbose_name_plural = "“More on …” links"


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin):
    list_display = ["headline", "category", "bylines_display", "status_display", "published_at"]
    list_filter = ["status", "category", "published_at"]
    list_select_related = ["category"]
    search_fields = ["headline", "dek", "slug"]
    autocomplete_fields = ["category"]
    prepopulated_fields = {"slug": ("headline",)}
    date_hierarchy = "published_at"
    ordering = ["-updated_at"]
    fieldsets = [
        (None, {"fields": ["headline", "slug", "dek", "category", "tags"]}),
        ("Publication", {"fields": ["status", "published_at"]}),
    ]
    inlines = [BylineInline, SectionInline, QuoteInline, MoreOnLinkInline]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .prefetch_related(Prefetch("bylines", queryset=Byline.objects.select_related("author")))
        )

    @admin.display(description="byline")
    def bylines_display(self, article):
        return ", ".join(author.name for author in article.byline_authors)

    @admin.display(description="status", ordering="status")
    def status_display(self, article):
        if article.is_scheduled:
            return "Scheduled"
        return article.get_status_display()
