from django.urls import path

from . import views

app_name = "articles"

urlpatterns = [
    path("", views.ArticleListView.as_view(), name="list"),
    # Tag slugs may be Unicode (“São Paulo”), which <slug:> would refuse.
    path("tags/<str:slug>/", views.TagArticleListView.as_view(), name="tag"),
    path("preview/<str:token>/", views.article_preview, name="preview"),
    path("authors/<slug:slug>/", views.AuthorArticleListView.as_view(), name="author"),
    # Category routes come last: their first segment is free-form.
    path("<slug:slug>/", views.CategoryArticleListView.as_view(), name="category"),
    path("<slug:category>/<slug:slug>/", views.ArticleDetailView.as_view(), name="detail"),
]
