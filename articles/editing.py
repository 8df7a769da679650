"""The article form's unsaved state: kept on the server, put back, and previewed.

A mixin for the article admin. The form's script (static/js/admin-autosave.js) posts the
form's fields to `…/unsaved/` every few seconds and when the page is left; opening the
form again offers to restore them, which renders the form from those fields exactly as
if it had been submitted with them, but saves nothing and shows no errors yet.

The preview (`…/preview-unsaved/`, static/js/admin-preview.js) runs the admin's own save
of the submitted form inside a transaction, renders the article page from it, and rolls
the transaction back: readers' pages, caches and history never see it.
"""

import copy

from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.db import router, transaction
from django.forms.utils import ErrorDict
from django.http import Http404, HttpResponseNotAllowed, JsonResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.datastructures import MultiValueDict

from . import autosave, embeds, preview


class UnsavedChangesMixin:
    def get_urls(self):
        view = self.admin_site.admin_view(self.unsaved_changes_view)
        preview_view = self.admin_site.admin_view(self.unsaved_preview_view)
        return [
            path("add/unsaved/", view, name="articles_article_unsaved_new"),
            path("add/preview-unsaved/", preview_view, name="articles_article_unsaved_preview_new"),
            path(
                "<path:object_id>/preview-unsaved/",
                preview_view,
                name="articles_article_unsaved_preview",
            ),
            path("<path:object_id>/unsaved/", view, name="articles_article_unsaved"),
            *super().get_urls(),
        ]

    def unsaved_changes_view(self, request, object_id=None):
        """Keep the posted form's fields for the signed-in editor, or discard them."""
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        article = self._article_being_edited(request, object_id)
        if "discard" in request.POST:
            autosave.discard(request.user, article)
            return redirect(self._form_url(article))
        changes = autosave.keep(request.user, article, request.POST)
        return JsonResponse(
            {"kept_at": changes.kept_at.isoformat(), "message": kept_message(changes)}
        )

    def unsaved_preview_view(self, request, object_id=None):
        """The article page as the submitted form would make it, without saving anything."""
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        self._article_being_edited(request, object_id)
        request.previewing_unsaved_form = True
        with embeds.no_lookups(), transaction.atomic(using=router.db_for_write(self.model)):
            response = self._changeform_view(request, object_id, "", {})
            if isinstance(response, TemplateResponse):
                # The form didn't pass its checks: say what stops the preview.
                response = TemplateResponse(
                    request,
                    "admin/articles/article/unsaved_preview_errors.html",
                    {"problems": form_problems(response.context_data)},
                )
                response.render()
            transaction.set_rollback(True)
        response["X-Frame-Options"] = "SAMEORIGIN"
        response["Cache-Control"] = "no-store"
        return response

    def response_add(self, request, obj, post_url_continue=None):
        if getattr(request, "previewing_unsaved_form", False):
            return preview.render_preview(request, obj.pk, unsaved=True)
        return super().response_add(request, obj, post_url_continue)

    def response_change(self, request, obj):
        if getattr(request, "previewing_unsaved_form", False):
            return preview.render_preview(request, obj.pk, unsaved=True)
        return super().response_change(request, obj)

    def _article_being_edited(self, request, object_id):
        if object_id is None:
            if not self.has_add_permission(request):
                raise PermissionDenied
            return None
        article = self.get_object(request, unquote(object_id))
        if article is None:
            raise Http404("No such article.")
        if not self.has_change_permission(request, article):
            raise PermissionDenied
        return article

    def _unsaved_changes_url(self, article):
        if article is None:
            return reverse("admin:articles_article_unsaved_new")
        return reverse("admin:articles_article_unsaved", args=[article.pk])

    def _unsaved_preview_url(self, article):
        if article is None:
            return reverse("admin:articles_article_unsaved_preview_new")
        return reverse("admin:articles_article_unsaved_preview", args=[article.pk])

    def _form_url(self, article):
        if article is None:
            return reverse("admin:articles_article_add")
        return reverse("admin:articles_article_change", args=[article.pk])

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        if request.method == "GET" and "restore" in request.GET:
            article = self._article_being_edited(request, object_id)
            changes = autosave.find(request.user, article)
            if changes is not None:
                return self._restored_form(request, object_id, form_url, extra_context, changes)
        return super().changeform_view(request, object_id, form_url, extra_context)

    def _restored_form(self, request, object_id, form_url, extra_context, changes):
        # The admin's own path for a submitted form, fed the kept fields: every inline,
        # nested block and chosen photo comes back as the editor left it.
        replay = copy.copy(request)
        replay.method = "POST"
        replay.POST = changes.as_form_data()
        replay._files = MultiValueDict()
        replay.restored_changes = changes
        with transaction.atomic(using=router.db_for_write(self.model)):
            return self._changeform_view(replay, object_id, form_url, extra_context)

    def render_change_form(self, request, context, *args, obj=None, **kwargs):
        restored = getattr(request, "restored_changes", None)
        changes = None
        if restored is not None:
            # Half-typed work is not a mistake yet: the checks run when the editor saves.
            context["errors"] = []
            for inline_admin_formset in context["inline_admin_formsets"]:
                silence([inline_admin_formset.formset])
            changes = restored
        elif request.method == "GET":
            changes = autosave.find(request.user, obj)
        context["kept_changes"] = changes
        context["kept_changes_restored"] = restored is not None
        context["kept_changes_saved_since"] = (
            changes is not None
            and obj is not None
            and dict(changes.fields).get("opened_version") != str(obj.version)
        )
        context["unsaved_changes_url"] = self._unsaved_changes_url(obj)
        context["unsaved_preview_url"] = self._unsaved_preview_url(obj)
        return super().render_change_form(request, context, *args, obj=obj, **kwargs)

    def save_model(self, request, obj, form, change):
        # Saved, the form's kept changes have done their job.
        autosave.discard(request.user, obj if change else None)
        super().save_model(request, obj, form, change)


def silence(formsets):
    for formset in formsets:
        formset._non_form_errors = formset.error_class()
        formset._errors = [ErrorDict() for _ in formset.forms]
        for form in formset.forms:
            form._errors = ErrorDict()
            silence(getattr(form, "nested_formsets", []))


def kept_message(changes):
    return f"Changes kept at {timezone.localtime(changes.kept_at):%H:%M}. Not saved yet."


def form_problems(context):
    """What the admin would show as errors, each said with the field it belongs to."""
    form = context["adminform"].form
    problems = list(field_problems(form, ""))
    for inline_admin_formset in context["inline_admin_formsets"]:
        inline = inline_admin_formset.opts
        problems += formset_problems(inline_admin_formset.formset, inline)
    return problems


def formset_problems(formset, inline, within=""):
    name = f"{within}{inline.verbose_name}"
    for message in formset.non_form_errors():
        yield f"{name[:1].upper()}{name[1:]}s: {message}"
    for number, form in enumerate(formset.forms, 1):
        where = f"{name} {number}"
        yield from field_problems(form, where)
        for nested, nested_inline in zip(
            getattr(form, "nested_formsets", []), getattr(form, "nested_inlines", []), strict=True
        ):
            yield from formset_problems(nested, nested_inline, f"{where}, ")


def field_problems(form, where):
    for field, messages in form.errors.items():
        label = form[field].label if field in form.fields else ""
        place = ", ".join(part for part in (where, label) if part) or "The article"
        for message in messages:
            yield f"{place[:1].upper()}{place[1:]}: {message}"
