from django.conf import settings
from django.core import signing
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.template.defaultfilters import pluralize
from django.utils.decorators import method_decorator
from django.utils.http import urlencode
from django.utils.text import Truncator
from django.views.decorators.cache import never_cache
from django.views.generic import DetailView, ListView
from taggit.models import Tag

from . import metadata, preview, search
from .delivery import rendered
from .delivery.validators import public_page
from .models import Article, Author, Category, SlugRedirect
from .pagination import UncountedPaginator


class PublishedArticlesMixin:
    """Every public page starts from the one definition of what readers may see."""

    @method_decorator(public_page)
    def dispatch(self, request, *args, **kwargs):
        return super().dispatch(request, *args, **kwargs)

    def get_queryset(self):
        return Article.objects.published()


class CardListMixin(PublishedArticlesMixin):
    """A page of article cards, put together from the cards rendered when they changed."""

    paginator_class = UncountedPaginator

    def get_queryset(self):
        return super().get_queryset().with_parts("card", "lead_card")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        articles = list(context["article_list"])
        cards = rendered.parts_for(articles, ["card", "lead_card"])
        # An article deleted meanwhile is left out (parts_for says why).
        shown = [article.pk for article in articles if article.pk in cards]
        context["article_parts"] = [cards[pk] for pk in shown]
        return context


class ArticleListView(CardListMixin, ListView):
    """The front page: the newest story as the lead, then the latest."""

    paginate_by = 21

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        parts = context["article_parts"]
        if context["page_obj"].number == 1 and parts:
            context["lead_parts"], parts = parts[0], parts[1:]
        context["latest_parts"] = parts
        context["page_meta"] = metadata.for_listing(
            self.request,
            settings.SITE_NAME,
            settings.SITE_DESCRIPTION,
            page_number=context["page_obj"].number,
        )
        return context


class ArticlesByListView(CardListMixin, ListView):
    """Published articles that belong to the object named by the URL's slug."""

    paginate_by = 20
    filter_model = None
    filter_lookup = None
    filter_context_name = None

    def get_queryset(self):
        self.filter_object = get_object_or_404(self.filter_model, slug=self.kwargs["slug"])
        return super().get_queryset().filter(**{self.filter_lookup: self.filter_object})

    def get_context_data(self, **kwargs):
        context = super().get_context_data(
            **kwargs, **{self.filter_context_name: self.filter_object}
        )
        name = str(self.filter_object)
        context["page_meta"] = metadata.for_listing(
            self.request,
            name,
            self.describe(self.filter_object),
            trail=[(name, self.request.path)],
            page_number=context["page_obj"].number,
        )
        return context

    def describe(self, obj):
        raise NotImplementedError


class CategoryArticleListView(ArticlesByListView):
    filter_model = Category
    filter_lookup = "category"
    filter_context_name = "category"
    template_name = "articles/category_detail.html"

    def describe(self, category):
        return category.description or f"The latest {category.name} news from {settings.SITE_NAME}."


class TagArticleListView(ArticlesByListView):
    filter_model = Tag
    filter_lookup = "tags"
    filter_context_name = "tag"
    template_name = "articles/tag_detail.html"

    def describe(self, tag):
        return f"Articles about {tag.name} from {settings.SITE_NAME}."


class AuthorArticleListView(ArticlesByListView):
    # get_object_or_404 takes a queryset too: the portrait comes with the author.
    filter_model = Author.objects.with_portrait()
    filter_lookup = "authors"
    filter_context_name = "author"
    template_name = "articles/author_detail.html"

    def describe(self, author):
        if author.bio:
            return Truncator(author.bio).chars(200)
        return f"{author.name}, {author.role}" if author.role else author.name


# What the article page's shell shows of the article itself (the rest is stored parts).
PAGE_FIELDS = ["headline", "slug", "category", "category__name", "category__slug"]


class ArticleDetailView(PublishedArticlesMixin, DetailView):
    def get_queryset(self):
        # The page is the article's stored parts (delivery/rendered.py) in the site's shell.
        return (
            super()
            .get_queryset()
            .select_related("category")
            .with_parts("body", "tags", "facts", fields=PAGE_FIELDS)
        )

    def get(self, request, *args, **kwargs):
        try:
            self.object = self.get_object()
        except Http404:
            return self.redirect_from_old_slug()
        canonical_url = self.object.get_absolute_url()
        # The category is part of the URL; after it changes the old URL still works.
        if request.path != canonical_url:
            return redirect(canonical_url, permanent=True)
        return self.render_to_response(self.get_context_data(object=self.object))

    def redirect_from_old_slug(self):
        redirect_ = get_object_or_404(
            SlugRedirect.objects.filter(article__in=Article.objects.published()).select_related(
                "article__category"
            ),
            old_slug=self.kwargs["slug"],
        )
        return redirect(redirect_.article, permanent=True)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        found = rendered.parts_for([self.object], ["body", "tags", "facts"])
        if self.object.pk not in found:
            raise Http404("The article was deleted.")
        parts = context["parts"] = found[self.object.pk]
        context["share_url"] = self.request.build_absolute_uri(self.object.get_absolute_url())
        context["page_meta"] = metadata.for_article(self.request, parts.facts)
        return context


@method_decorator(public_page, name="dispatch")
class ArticleSearchView(ListView):
    """Search results, best match or newest first; the rules are in search.py."""

    template_name = "articles/search.html"
    paginate_by = 10

    def get_queryset(self):
        self.query = search.clean_query(self.request.GET.get("q", ""))
        self.sort = search.sort_order(self.request.GET.get("sort"))
        return search.search(self.query, self.sort)

    def get_paginator(self, queryset, per_page, **kwargs):
        return search.ResultsPaginator(queryset, per_page, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs, query=self.query, sort=self.sort)
        search.add_snippets(context["article_list"], self.query)
        paginator = context["paginator"]
        shown = f"{paginator.count:,}{'+' if paginator.has_more else ''}"
        context["result_count"] = f"{shown} result{pluralize(paginator.count)}"
        context["best_match_query"] = urlencode({"q": self.query})
        context["newest_query"] = urlencode({"q": self.query, "sort": search.NEWEST})
        context["page_query"] = urlencode(self.parameters())
        context["page_meta"] = self.page_meta(context["page_obj"])
        return context

    def parameters(self):
        """The query string of these results; best match, the default, goes unsaid."""
        return {"q": self.query, **({"sort": self.sort} if self.sort != search.BEST_MATCH else {})}

    def page_meta(self, page):
        title = f"Search results for “{self.query}”" if self.query else "Search"
        meta = metadata.for_listing(
            self.request,
            title,
            f"Search the articles of {settings.SITE_NAME}.",
            trail=[("Search", self.request.path)],
            page_number=page.number,
        )
        params = {**self.parameters(), **({"page": page.number} if page.number > 1 else {})}
        if self.query:
            meta.canonical_url = self.request.build_absolute_uri(
                f"{self.request.path}?{urlencode(params)}"
            )
        # Pages with nothing to show are thin content: keep them out of the index.
        if not page.object_list:
            meta.robots = "noindex"
        return meta


@never_cache
def article_preview(request, token):
    """A shared preview link: works without signing in until it expires."""
    try:
        article_pk = preview.article_pk_from_token(token)
    except signing.SignatureExpired:
        return render(request, "articles/preview_expired.html", status=410)
    except signing.BadSignature as error:
        raise Http404("Not a valid preview link.") from error
    return preview.render_preview(request, article_pk)
