"""The inlines of the article form: the parts an editor writes on the article's page."""

from django import forms
from django.contrib import admin
from django.db import models
from django.forms.models import BaseInlineFormSet

from .models import (
    MISSING_ALT_TEXT,
    Article,
    Byline,
    Correction,
    Figure,
    MoreOnLink,
    Quote,
    Section,
)

# A scheme-less URL an editor types ("nasa.gov") means https, as in Django 6.0.
HTTPS_URL_FIELDS = {models.URLField: {"assume_scheme": "https"}}


class OwnSectionsInlineMixin:
    """An article inline whose `section` field offers only that article's own sections."""

    section_empty_label = "---------"
    section_help_text = ""

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        # A new article has no sections until it is saved.
        section_field = formset.form.base_fields["section"]
        section_field.queryset = (
            Section.objects.filter(article=obj) if obj else Section.objects.none()
        )
        section_field.empty_label = self.section_empty_label
        if self.section_help_text:
            section_field.help_text = self.section_help_text
        return formset


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


class QuoteInline(OwnSectionsInlineMixin, admin.StackedInline):
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
    section_empty_label = "— none: the article's lead quote —"


class MoreOnLinkInline(admin.StackedInline):
    model = MoreOnLink
    fk_name = "article"
    formfield_overrides = HTTPS_URL_FIELDS
    fields = [("topic", "position"), "target", ("url", "title")]
    autocomplete_fields = ["target"]
    extra = 0
    verbose_name = "“More on …” link"
    verbose_name_plural = "“More on …” links"


class CorrectionInline(admin.StackedInline):
    model = Correction
    fields = [("kind", "noted_at"), "text"]
    extra = 0
    verbose_name_plural = "corrections and updates (shown at the foot of the article)"


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
