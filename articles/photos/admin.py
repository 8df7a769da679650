"""The photo library's admin: upload, thumbnails, search, alt text, the focal point.

Nothing here knows of articles: articles/admin.py registers a subclass that adds where
each image is used.
"""

from django import forms
from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.http import Http404, JsonResponse
from django.urls import path
from django.utils.html import format_html

from .models import MISSING_ALT_TEXT, Image

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


class ImageAdmin(admin.ModelAdmin):
    form = ImageAdminForm
    list_display = [
        "thumbnail_display",
        "title",
        "credit",
        "size_display",
        "has_alt_text",
        "uploaded_at",
    ]
    list_display_links = ["thumbnail_display", "title"]
    list_filter = [AltTextFilter, "uploaded_at"]
    search_fields = ["title", "alt_text", "caption", "credit", "source"]
    readonly_fields = ["focal_point", "size_display", "uploaded_by", "uploaded_at"]
    fieldsets = [
        (None, {"fields": ["file", "title", "alt_text", "caption", "credit", "source"]}),
        ("Focal point", {"fields": ["focal_point", "focal_x", "focal_y"]}),
        ("Use", {"fields": ["size_display", "uploaded_by", "uploaded_at"]}),
    ]
    date_hierarchy = "uploaded_at"

    class Media:
        css = {"all": ["css/admin.css"]}
        js = ["js/admin-focal-point.js", "js/admin-keep-upload.js"]

    def get_queryset(self, request):
        return super().get_queryset(request).with_thumbnails().select_related("uploaded_by")

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
