from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.urls import include, path

admin.site.site_header = "Newsroom"
admin.site.site_title = "Newsroom admin"
admin.site.index_title = "Newsroom"

urlpatterns = [
    path("admin/", admin.site.urls),
    # The article form's nested inlines (sections and their blocks) ask it for settings.
    path("_nested_admin/", include("nested_admin.urls")),
    # Photos in local development only (an empty list when DEBUG is off); production
    # serves them from the storage or the web server (README).
    *static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT),
    path("", include("articles.urls")),
]
