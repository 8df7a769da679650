"""The photo library's admin: thumbnails, search, where each image is used, the focal point.

Kept apart from admin.py (the article admin), which had reached the house limit of ~400
lines; admin.py imports it, so the admin registers it.
"""

from django import forms
from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.forms.models import BaseInlineFormSet
from django.http import Http404, JsonResponse
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join

from .forms import OwnSectionsInlineMixin
from .images import MISSING_ALT_TEXT, Figure, Image
from .models import Article

UPLOAD_TYPES = "image/jpeg,image/png,image/webp,image/avif,image/gif"


def thumbnail(image, width=120):
    """A small uncropped JPEG of the image for the admin, or a dash when it has none."""
    rendition = image.rendition("figure", max_width=480) if image else None
    if rendition is None:
        return "—"
    return format_html(
        '<img src="{}" width="{}" height="{}" alt="" class="image-thumbnail">',
        rendition.url,
        width,
        round(width * rendition.height / rendition.width),
    )


def lead_image_summary(image):
    """The lead image as the article form shows it: thumbnail, alt text, credit, warning."""
    if image is None:
        return format_html("<p>{}</p>", "No lead image: the article and its cards show no photo.")
    warning = ""
    if not image.alt_text:
        warning = format_html(
            '<p class="errornote">{}</p>', MISSING_ALT_TEXT % {"image": image.title}
        )
    return format_html(
        '<div class="lead-image-summary">{}'
        "<p><strong>{}</strong><br>Alt text: {}<br>{}</p></div>{}",
        thumbnail(image, 240),
        image.title,
        image.alt_text or "none yet",
        image.credit,
        warning,
    )


class AltTextFilter(admin.SimpleListFilter):
    title = "alt text"
    parameter_name = "alt_text"

    def lookups(self, request, model_admin):
        return [("missing", "Missing"), ("written", "Written")]

    def queryset(self, request, queryset):
        if self.value() == "missing":
            return queryset.filter(alt_text="")
        if self.value() == "written":
            return queryset.exclude(alt_text="")
        return queryset


class ImageAdminForm(forms.ModelForm):
    class Meta:
        model = Image
        fields = ["file", "title", "alt_text", "caption", "credit", "source", "focal_x", "focal_y"]
        widgets = {
            "file": forms.ClearableFileInput(attrs={"accept": UPLOAD_TYPES}),
            "caption": forms.Textarea(attrs={"rows": 3}),
            # Set by clicking on the picture (static/js/admin-focal-point.js).
            "focal_x": forms.HiddenInput,
            "focal_y": forms.HiddenInput,
        }


@admin.register(Image)
class ImageAdmin(admin.ModelAdmin):
    form = ImageAdminForm
    list_display = [
        "thumbnail_display",
        "title",
        "credit",
        "size_display",
        "usage_count",
        "has_alt_text",
        "uploaded_at",
    ]
    list_display_links = ["thumbnail_display", "title"]
    list_filter = [AltTextFilter, "uploaded_at"]
    search_fields = ["title", "alt_text", "caption", "credit", "source"]
    readonly_fields = ["focal_point", "used_in", "size_display", "uploaded_by", "uploaded_at"]
    fieldsets = [
        (None, {"fields": ["file", "title", "alt_text", "caption", "credit", "source"]}),
        ("Focal point", {"fields": ["focal_point", "focal_x", "focal_y"]}),
        ("Use", {"fields": ["used_in", "size_display", "uploaded_by", "uploaded_at"]}),
    ]
    date_hierarchy = "uploaded_at"

    class Media:
        css = {"all": ["css/admin.css"]}
        js = ["js/admin-focal-point.js"]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .with_thumbnails()
            .select_related("uploaded_by")
            .annotate(
                usage=Count("lead_articles", distinct=True)
                + Count("figures__article", distinct=True)
                + Count("portrait_of", distinct=True)
            )
            # Meta.ordering doesn't apply to a grouped query; the chooser pages through it.
            .order_by(*Image._meta.ordering)
        )

    def save_model(self, request, obj, form, change):
        if not change:
            obj.uploaded_by = request.user
        super().save_model(request, obj, form, change)

    def get_urls(self):
        summary_view = self.admin_site.admin_view(self.summary_view)
        return [
            path("<path:object_id>/summary/", summary_view, name="articles_image_summary"),
            *super().get_urls(),
        ]

    def summary_view(self, request, object_id):
        """The lead image summary the article form shows when the editor picks an image."""
        image = self.get_object(request, object_id)
        if image is None:
            raise Http404("No such image.")
        if not self.has_view_permission(request, image):
            raise PermissionDenied
        return JsonResponse({"html": lead_image_summary(image)})

    @admin.display(description="image")
    def thumbnail_display(self, image):
        return thumbnail(image)

    @admin.display(description="size")
    def size_display(self, image):
        return f"{image.width} × {image.height} px" if image.pk else "—"

    @admin.display(description="used", ordering="usage")
    def usage_count(self, image):
        return image.usage

    @admin.display(description="alt text", boolean=True)
    def has_alt_text(self, image):
        return bool(image.alt_text)

    @admin.display(description="focal point")
    def focal_point(self, image):
        rendition = image.rendition("figure", max_width=800) if image.pk else None
        picture = ""
        if rendition is not None:
            picture = format_html(
                '<img src="{}" width="{}" height="{}" alt="{}">',
                rendition.url,
                rendition.width,
                rendition.height,
                image.alt_text,
            )
        return format_html(
            '<div class="focal-picker" data-focal-picker tabindex="0" role="group" '
            'aria-label="Focal point: click the picture, or use the arrow keys"{}>'
            '{}<span class="focal-picker__marker"></span></div>'
            '<p class="help" data-focal-readout>{}</p>',
            "" if picture else " hidden",
            picture,
            "Click the picture where the crops should centre: a face, the action. "
            "Listing cards, social cards and avatars keep that point in view."
            if picture
            else "Choose a file: the picture appears here, then click where crops should centre.",
        )

    @admin.display(description="used in")
    def used_in(self, image):
        if not image.pk:
            return "—"
        articles = (
            Article.objects.filter(Q(lead_image=image) | Q(figures__image=image))
            .distinct()
            .order_by("-updated_at")
        )
        rows = [
            (
                reverse("admin:articles_article_change", args=[article.pk]),
                article.headline,
                "lead image" if article.lead_image_id == image.pk else "figure",
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


class FigureFormSet(BaseInlineFormSet):
    """Figures of a published article need alt text, as its lead image does."""

    def clean(self):
        super().clean()
        if self.instance.status != Article.Status.PUBLISHED:
            return
        for form in self.forms:
            image = getattr(form, "cleaned_data", {}).get("image")
            if image and not form.cleaned_data.get("DELETE") and not image.alt_text:
                form.add_error(
                    "image", forms.ValidationError(MISSING_ALT_TEXT, params={"image": image})
                )


class FigureInline(OwnSectionsInlineMixin, admin.StackedInline):
    model = Figure
    formset = FigureFormSet
    fields = [("section", "position"), "image", "caption"]
    autocomplete_fields = ["image"]
    extra = 0
    verbose_name = "figure (a photo in a section)"
    verbose_name_plural = "figures (photos in sections)"
    section_help_text = "Shown after the section's text. Save a new article first."
