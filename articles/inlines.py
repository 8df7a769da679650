"""The inlines of the article form: the parts an editor writes on the article's page.

Sections hold their blocks (text, quotes, photos, embeds) as inlines nested inside each
section (django-nested-admin), so a whole story, its sections and every block in them is
written, reordered and saved in one form, before the article's first save as after.
"""

import nested_admin
from django import forms
from django.db import models

from .models import (
    MISSING_ALT_TEXT,
    Article,
    Block,
    Byline,
    Correction,
    MoreOnLink,
    Section,
)
from .parts import BODY_MAX_LENGTH

# A scheme-less URL an editor types ("nasa.gov") means https, as in Django 6.0.
HTTPS_URL_FIELDS = {models.URLField: {"assume_scheme": "https"}}


class ArticlePartInlineMixin:
    """An inline that is read-only whenever its article isn't the user's to change.

    Django's admin does that for every inline by itself, but django-nested-admin asks each
    inline (and nested ones with their section) directly, so they ask here.
    """

    def _article_is_editable(self, request, obj):
        if isinstance(obj, Section):
            obj = obj.article if obj.article_id else None
        if obj is None or obj.pk is None:
            return True
        return self.admin_site.get_model_admin(Article).has_change_permission(request, obj)

    def has_add_permission(self, request, obj=None):
        return super().has_add_permission(request, obj) and self._article_is_editable(request, obj)

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and self._article_is_editable(
            request, obj
        )

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and self._article_is_editable(
            request, obj
        )


class BylineInline(ArticlePartInlineMixin, nested_admin.NestedTabularInline):
    model = Byline
    autocomplete_fields = ["author"]
    fields = ["author", "position"]
    extra = 1
    verbose_name = "author"
    verbose_name_plural = "byline (in order)"


class MoreOnLinkInline(ArticlePartInlineMixin, nested_admin.NestedStackedInline):
    model = MoreOnLink
    fk_name = "article"
    formfield_overrides = HTTPS_URL_FIELDS
    fields = [("topic", "position"), "target", ("url", "title")]
    autocomplete_fields = ["target"]
    extra = 0
    verbose_name = "“More on …” link"
    verbose_name_plural = "“More on …” links"


class CorrectionInline(ArticlePartInlineMixin, nested_admin.NestedStackedInline):
    model = Correction
    fields = [("kind", "noted_at"), "text"]
    extra = 0
    verbose_name_plural = "corrections and updates (shown at the foot of the article)"


BLOCK_FIELDS = [
    "kind",
    "body",
    "text",
    ("speaker", "speaker_role"),
    ("source_name", "source_url", "said_on"),
    "image",
    "caption",
    "url",
    "title",
    "position",
]


class BlockForm(forms.ModelForm):
    """A block's form: the fields of every kind, of which the page shows the chosen kind's."""

    class Meta:
        model = Block
        # The inline's `fields` decide what the form shows; these are only the ones every
        # block has.
        fields = ["kind", "position"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # admin-markdown.js and admin-word-count.js find the fields they work on by these.
        # The limit is no maxlength attribute, with which browsers would cut a long paste
        # short without a word: admin-markdown.js refuses it and says why.
        if "body" in self.fields:
            self.fields["body"].widget.attrs.update(
                {
                    "data-markdown": "",
                    "data-max-length": BODY_MAX_LENGTH,
                    "data-word-count": Block.Kind.TEXT,
                }
            )
        if "text" in self.fields:
            self.fields["text"].widget.attrs["data-word-count"] = Block.Kind.QUOTE

    def has_changed(self):
        # A new block only counts once something is in it: the kind alone (preselected)
        # doesn't make an empty block that would then fail validation.
        if self.instance.pk is None:
            return any(name not in ("kind", "position") for name in self.changed_data)
        return super().has_changed()


class BlockFormSet(nested_admin.NestedInlineFormSet):
    """Blocks of one section, which also belong to the section's article."""

    def save_new(self, form, commit=True):
        form.instance.article_id = self.instance.article_id
        return super().save_new(form, commit)

    def clean(self):
        super().clean()
        # Photos of a published article need alt text, as its lead image does.
        article = self.instance.article if self.instance.article_id else None
        if article is None or article.status != Article.Status.PUBLISHED:
            return
        for form in self.forms:
            data = getattr(form, "cleaned_data", {})
            image = data.get("image") if data.get("kind") == Block.Kind.PHOTO else None
            if image and not data.get("DELETE") and not image.alt_text:
                form.add_error(
                    "image", forms.ValidationError(MISSING_ALT_TEXT, params={"image": image})
                )


class BlockInline(ArticlePartInlineMixin, nested_admin.NestedStackedInline):
    """A section's blocks, inside the section on the article's form."""

    model = Block
    fk_name = "section"
    form = BlockForm
    formset = BlockFormSet
    formfield_overrides = HTTPS_URL_FIELDS
    fields = BLOCK_FIELDS
    autocomplete_fields = ["image"]
    sortable_field_name = "position"
    extra = 0
    classes = ["blocks"]
    verbose_name = "block"
    verbose_name_plural = "blocks (text, quotes, photos, embeds, in reading order)"


class SectionInline(ArticlePartInlineMixin, nested_admin.NestedStackedInline):
    model = Section
    fields = ["subheading", "position"]
    inlines = [BlockInline]
    sortable_field_name = "position"
    extra = 0


class LeadQuoteForm(BlockForm):
    class Meta(BlockForm.Meta):
        fields = ["position"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.kind = Block.Kind.QUOTE
        self.instance.section = None


class LeadQuoteFormSet(nested_admin.NestedInlineFormSet):
    @classmethod
    def get_default_prefix(cls):
        # Not "blocks", which reads as if it held the sections' blocks too.
        return "lead_quotes"


class LeadQuoteInline(ArticlePartInlineMixin, nested_admin.NestedStackedInline):
    """The quote under the headline: a quote block outside every section."""

    model = Block
    fk_name = "article"
    form = LeadQuoteForm
    formset = LeadQuoteFormSet
    formfield_overrides = HTTPS_URL_FIELDS
    fields = [
        "text",
        ("speaker", "speaker_role"),
        ("source_name", "source_url", "said_on"),
        "position",
    ]
    sortable_field_name = "position"
    extra = 0
    verbose_name = "lead quote"
    verbose_name_plural = "lead quote (under the headline)"

    def get_queryset(self, request):
        return super().get_queryset(request).filter(section__isnull=True)
