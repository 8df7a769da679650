from django.contrib.sitemaps import views as sitemap_views
from django.urls import path

from . import feeds, sitemaps, views
from .delivery.validators import public_page

app_name = "articles"

urlpatterns = [
    path("", views.ArticleListView.as_view(), name="list"),
    # Tag slugs may be Unicode (“São Paulo”), which <slug:> would refuse.
    path("tags/<str:slug>/", views.TagArticleListView.as_view(), name="tag"),
    path("preview/<str:token>/", views.article_preview, name="preview"),
    path("authors/<slug:slug>/", views.AuthorArticleListView.as_view(), name="author"),
    path("search/", views.ArticleSearchView.as_view(), name="search"),
    path("feeds/rss/", public_page(feeds.LatestArticlesFeed()), name="feed_rss"),
    path("feeds/atom/", public_page(feeds.LatestArticlesAtomFeed()), name="feed_atom"),
    path(
        "feeds/category/<slug:slug>/rss/",
        public_page(feeds.CategoryFeed()),
        name="category_feed_rss",
    ),
    path(
        "feeds/category/<slug:slug>/atom/",
        public_page(feeds.CategoryAtomFeed()),
        name="category_feed_atom",
    ),
    path("feeds/tag/<str:slug>/rss/", public_page(feeds.TagFeed()), name="tag_feed_rss"),
    path("feeds/tag/<str:slug>/atom/", public_page(feeds.TagAtomFeed()), name="tag_feed_atom"),
    path("feeds/author/<slug:slug>/rss/", public_page(feeds.AuthorFeed()), name="author_feed_rss"),
    path(
        "feeds/author/<slug:slug>/atom/",
        public_page(feeds.AuthorAtomFeed()),
        name="author_feed_atom",
    ),
    path(
        "sitemap.xml",
        public_page(sitemap_views.sitemap),
        {"sitemaps": sitemaps.SITEMAPS, "template_name": "sitemaps/sitemap.xml"},
        name="sitemap",
    ),
    path(
        "sitemap-news.xml",
        public_page(sitemap_views.sitemap),
        {"sitemaps": sitemaps.NEWS_SITEMAPS, "template_name": "sitemaps/news.xml"},
        name="news_sitemap",
    ),
    path("robots.txt", sitemaps.robots_txt, name="robots_txt"),
    # Category routes come last: their first segment is free-form.
    path("<slug:slug>/", views.CategoryArticleListView.as_view(), name="category"),
    path("<slug:category>/<slug:slug>/", views.ArticleDetailView.as_view(), name="detail"),
]
