"""The photo library's admin, with where each photo is used (it knows the articles;
the library package itself does not)."""

from django import forms
from django.contrib import admin
from django.db.models import Count
from django.urls import reverse
from django.utils.html import format_html, format_html_join

from ..models import (
    Article,
    Image,
)
from ..photos import admin as photos_admin


class LibraryImageForm(photos_admin.ImageAdminForm):
    def clean_alt_text(self):
        alt_text = self.cleaned_data["alt_text"].strip()
        if self.instance.pk and not alt_text:
            in_use = (
                Article.objects.filter(status=Article.Status.PUBLISHED)
                .showing_image(self.instance, as_portrait=False)
                .order_by("headline")
            )
            if in_use:
                raise forms.ValidationError(
                    "Published articles show this image, so it needs alt text: "
                    + ", ".join(f"“{article}”" for article in in_use[:3])
                    + "."
                )
        return alt_text


@admin.register(Image)
class LibraryImageAdmin(photos_admin.ImageAdmin):
    """The photo library, with where each image is used."""

    form = LibraryImageForm
    list_display = [
        *photos_admin.ImageAdmin.list_display[:-2],
        "usage_count",
        "has_alt_text",
        "uploaded_at",
    ]
    readonly_fields = [*photos_admin.ImageAdmin.readonly_fields, "used_in"]
    fieldsets = [
        *photos_admin.ImageAdmin.fieldsets[:-1],
        ("Use", {"fields": ["used_in", "size_display", "uploaded_by", "uploaded_at"]}),
    ]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(
                usage=Count("lead_articles", distinct=True)
                + Count("blocks__article", distinct=True)
                + Count("portrait_of", distinct=True)
            )
            # Meta.ordering doesn't apply to a grouped query; the chooser pages through it.
            .order_by(*Image._meta.ordering)
        )

    @admin.display(description="used", ordering="usage")
    def usage_count(self, image):
        return image.usage

    @admin.display(description="used in")
    def used_in(self, image):
        if not image.pk:
            return "—"
        articles = Article.objects.showing_image(image, as_portrait=False).order_by("-updated_at")
        rows = [
            (
                reverse("admin:articles_article_change", args=[article.pk]),
                article.headline,
                "lead image" if article.lead_image_id == image.pk else "photo in the text",
                article.status_label,
            )
            for article in articles
        ]
        rows += [
            (reverse("admin:articles_author_change", args=[author.pk]), author.name, "portrait", "")
            for author in image.portrait_of.all()
        ]
        if not rows:
            return "Not used yet."
        return format_html(
            "<ul>{}</ul>",
            format_html_join(
                "",
                '<li><a href="{}">{}</a> <small>({}{})</small></li>',
                ((url, name, use, f", {state}" if state else "") for url, name, use, state in rows),
            ),
        )
