"""Who signs in (desk.py), and the categories and authors editors file under."""

from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin

from ..desk import AuthorAdminForm, DeskAuthenticationForm, DeskUserChangeForm
from ..models import (
    Author,
    Category,
)

# Members of Writers and Editors sign in without anybody ticking "Staff status" (desk.py).
admin.site.login_form = DeskAuthenticationForm
admin.site.unregister(get_user_model())


@admin.register(get_user_model())
class DeskUserAdmin(UserAdmin):
    form = DeskUserChangeForm
    list_display = [*UserAdmin.list_display, "is_active"]
    list_filter = ["groups", "is_staff", "is_superuser", "is_active"]


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "position"]
    list_editable = ["position"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ("name",)}


@admin.register(Author)
class AuthorAdmin(admin.ModelAdmin):
    form = AuthorAdminForm
    list_display = ["name", "role", "slug", "user"]
    list_select_related = ["user"]
    search_fields = ["name", "role", "user__username"]
    prepopulated_fields = {"slug": ("name",)}
