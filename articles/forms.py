from dataclasses import dataclass

from django import forms
from django.core.exceptions import ValidationError
from django.forms.utils import ErrorDict
from django.urls import reverse
from django.utils import timezone
from reversion.models import Version

from .models import Article

HEADLINE_GUIDANCE = 110
DEK_GUIDANCE = 200

DRAFT, REVIEW = Article.Status.DRAFT, Article.Status.REVIEW
PUBLISHED, UNPUBLISHED = Article.Status.PUBLISHED, Article.Status.UNPUBLISHED


@dataclass(frozen=True)
class Step:
    """One button of the publish bar: what it does to the article, and who may press it."""

    label: str
    # What the article's history says it did.
    done: str
    # The statuses it can be pressed in; None for a new article.
    from_statuses: tuple
    editors_only: bool = False
    # Whether the button opens the note or the time beside it.
    asks_note: bool = False
    asks_time: bool = False


STEPS = {
    "save": Step("Save", "Saved", (None, DRAFT, REVIEW, PUBLISHED, UNPUBLISHED)),
    "submit": Step("Submit for review", "Submitted for review", (None, DRAFT), asks_note=True),
    "send_back": Step(
        "Send back to the writer",
        "Sent back to the writer",
        (REVIEW,),
        editors_only=True,
        asks_note=True,
    ),
    "schedule": Step(
        "Schedule",
        "Scheduled",
        (None, DRAFT, REVIEW, UNPUBLISHED),
        editors_only=True,
        asks_time=True,
    ),
    "publish": Step(
        "Publish now", "Published", (None, DRAFT, REVIEW, UNPUBLISHED), editors_only=True
    ),
    "unpublish": Step("Unpublish", "Unpublished", (PUBLISHED,), editors_only=True),
}


def slug_taken_message(slug, other, free):
    """What to do about a slug another article has (or had, when old links lead to it)."""
    if other.slug == slug:
        where = f"“{slug}” is the address of another article, “{other.headline}”."
    else:
        where = (
            f"“{slug}” was the address of another article, “{other.headline}”, and old links "
            "to it still lead there."
        )
    return f"{where} Use “{free}”, which is free, or choose another slug."


def address_of(article, wanted):
    """The slug `article` gets for the slug `wanted`, and what the form says about it."""
    other = article.slug_taken_by(wanted) if wanted else None
    if other is None:
        return wanted, ""
    free = article.unique_slug(wanted)
    if article.pk:
        return free, slug_taken_message(wanted, other, free)
    return free, f"Another article, “{other.headline}”, has “{wanted}”: this one gets “{free}”."


def steps_for(article, can_publish):
    """The publish bar's buttons for `article` (not saved yet when it has no pk)."""
    status = article.status if article.pk else None
    found = {}
    for name, step in STEPS.items():
        # A scheduled article isn't live yet: it can be rescheduled or published now.
        pressable = status in step.from_statuses or (
            article.is_scheduled and name in ("schedule", "publish")
        )
        if pressable and (can_publish or not step.editors_only):
            found[name] = step
    return found


class ArticleAdminForm(forms.ModelForm):
    """The article form, with the lock that stops one editor overwriting another."""

    # The version the editor opened; a model field can't be both hidden and non-editable.
    opened_version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    # The publish bar's note and time: the button pressed (`_workflow`) says which applies.
    note = forms.CharField(
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2, "cols": 60}),
        help_text="For the editor when you submit, for the writer when you send it back. "
        "Kept in the article's history.",
    )
    schedule_at = forms.DateTimeField(
        label="Go live at",
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S"],
    )

    # Set per request by ArticleAdmin.get_form().
    can_publish = False
    version_before_revert = None
    # True when the form shows an editor's kept, unsaved changes: they are put back to
    # be checked and saved by the editor, never saved as they are restored.
    restoring = False

    class Meta:
        model = Article
        fields = [
            "headline",
            "slug",
            "dek",
            "category",
            "tags",
            "lead_image",
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
        if "slug" in self.fields:
            # admin-address.js shows the address the article will get as the editor types.
            self.fields["slug"].widget.attrs["data-address-url"] = reverse(
                "admin:articles_article_address"
            )
            if self.instance.pk:
                self.fields["slug"].widget.attrs["data-article-id"] = self.instance.pk
        if self.instance.pk:
            self.fields["opened_version"].initial = self._saved_version()
        self.fields[
            "schedule_at"
        ].help_text = f"In the newsroom's time, {timezone.get_current_timezone_name()}."
        if self.instance.is_scheduled:
            self.fields["schedule_at"].initial = timezone.localtime(self.instance.published_at)
        self.step_name = self.data.get("_workflow") or "save"

    def full_clean(self):
        if self.restoring:
            self._errors, self.cleaned_data = ErrorDict(), {}
            return
        super().full_clean()

    def is_valid(self):
        return not self.restoring and super().is_valid()

    def clean_slug(self):
        slug = self.cleaned_data["slug"]
        if not slug or (self.instance.pk and "slug" not in self.changed_data):
            return slug
        free, message = address_of(self.instance, slug)
        # A new article never fails over its address: it takes the next free one, which
        # the form showed as the headline was typed.
        if free == slug or self.instance.pk is None:
            return free
        raise ValidationError(message, code="slug_taken")

    def clean(self):
        cleaned_data = super().clean()
        if self.instance.pk:
            self._check_nobody_saved_in_between(cleaned_data.get("opened_version"))
        self._take_step(cleaned_data)
        return cleaned_data

    @property
    def step(self):
        return STEPS.get(self.step_name, STEPS["save"])

    def history_note(self):
        """What the article's history says this save did, with the note if there is one."""
        note = self.cleaned_data.get("note", "").strip()
        done = self.step.done
        if self.step_name == "schedule":
            when = timezone.localtime(self.instance.published_at)
            done = f"Scheduled for {when:%Y-%m-%d %H:%M} {timezone.get_current_timezone_name()}"
        if self.step_name == "save" and not note:
            return ""
        return f"{done}. Note: {note}" if note else f"{done}."

    def _take_step(self, cleaned_data):
        """Set the status and publication time the pressed button asks for, if allowed."""
        article, name = self.instance, self.step_name
        step = steps_for(article, self.can_publish).get(name)
        if step is None:
            who = "Only editors" if STEPS.get(name, STEPS["save"]).editors_only else "Nobody"
            raise ValidationError(
                "%(who)s can do that to an article that is %(status)s. Use one of the "
                "buttons below the form.",
                code="step_refused",
                params={"who": who, "status": article.status_label.lower()},
            )
        now = timezone.now()
        if name == "submit":
            article.status = REVIEW
        elif name == "send_back":
            article.status = DRAFT
            if not cleaned_data.get("note", "").strip():
                self.add_error("note", "Tell the writer what to change before sending it back.")
        elif name == "schedule":
            when = cleaned_data.get("schedule_at")
            if when is None:
                self.add_error("schedule_at", "Choose the date and time it should go live.")
            elif when <= now:
                self.add_error(
                    "schedule_at",
                    "That time has passed. Choose a time in the future, or press “Publish now”.",
                )
            else:
                article.status, article.published_at = PUBLISHED, when
        elif name == "publish":
            article.status = PUBLISHED
            if article.published_at is None or article.published_at > now:
                article.published_at = now
        elif name == "unpublish":
            article.status = UNPUBLISHED

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
