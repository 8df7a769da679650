from django import forms
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from reversion.models import Version

from .models import Article

HEADLINE_GUIDANCE = 110
DEK_GUIDANCE = 200

WRITER_STATUSES = [Article.Status.DRAFT, Article.Status.REVIEW]


class ArticleAdminForm(forms.ModelForm):
    """The article form, with the lock that stops one editor overwriting another."""

    # The version the editor opened; a model field can't be both hidden and non-editable.
    opened_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    # Set per request by ArticleAdmin.get_form().
    can_publish = False
    version_before_revert = None

    class Meta:
        model = Article
        fields = [
            "headline",
            "slug",
            "dek",
            "category",
            "tags",
            "lead_image",
            "status",
            "published_at",
        ]
        help_texts = {
            "headline": f"Keep it under {HEADLINE_GUIDANCE} characters so it fits search "
            "results and social cards.",
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "headline" in self.fields:
            self.fields["headline"].widget.attrs["data-guidance"] = HEADLINE_GUIDANCE
        if "dek" in self.fields:
            self.fields["dek"].widget.attrs.update({"data-guidance": DEK_GUIDANCE, "rows": 3})
        if "tags" in self.fields:
            self.fields["tags"].widget.attrs["data-suggest-url"] = reverse(
                "admin:articles_article_tag_suggestions"
            )
        if self.instance.pk:
            self.fields["opened_version"].initial = self._saved_version()
        if not self.can_publish and "status" in self.fields:
            self.fields["status"].choices = [
                (value, label)
                for value, label in Article.Status.choices
                if value in WRITER_STATUSES
            ]
            self.fields[
                "status"
            ].help_text = "Set “In review” when the draft is ready for an editor."

    def clean(self):
        cleaned_data = super().clean()
        if self.instance.pk:
            self._check_nobody_saved_in_between(cleaned_data.get("opened_version"))
        if not self.can_publish and cleaned_data.get("status") not in WRITER_STATUSES:
            self.add_error("status", "Only editors can publish or unpublish an article.")
        return cleaned_data

    def _saved_version(self, lock=False):
        if self.version_before_revert is not None:
            return self.version_before_revert
        articles = Article.objects.filter(pk=self.instance.pk)
        # The admin saves inside a transaction: holding the row lock until it
        # commits stops two saves from both passing this check at once.
        if lock:
            articles = articles.select_for_update()
        return articles.values_list("version", flat=True).first()

    def _check_nobody_saved_in_between(self, version_opened):
        current = self._saved_version(lock=True)
        if version_opened != current:
            raise ValidationError(
                "%(who)s saved this article %(when)s, after you opened it, so your changes "
                "were not saved. Your text is still in the form below: copy what you need, "
                "then reload the page to see their version and make your changes again.",
                code="edit_conflict",
                params=self._last_save(),
            )
        # The new version is counted from the saved one, not from the form.
        self.instance.version = current

    def _last_save(self):
        latest = (
            Version.objects.get_for_object(self.instance).select_related("revision__user").first()
        )
        if latest is None:
            return {"who": "Someone else", "when": "in the meantime"}
        user = latest.revision.user
        when = timezone.localtime(latest.revision.date_created).strftime("at %H:%M on %d %b %Y")
        return {
            "who": (user.get_full_name() or user.get_username()) if user else "Someone",
            "when": when,
        }
