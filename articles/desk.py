"""Who is on the desk: the members of the editorial groups, who sign in to the admin.

Django's admin lets in only users with staff status, which nobody thinks of setting when
they add a colleague to Writers or Editors. So membership decides: joining either group
gives an active user staff status, leaving both takes it away (superusers keep theirs),
however the groups change, in the admin or in code. The admin's sign-in form says what
is wrong when a right password belongs to someone who isn't on the desk.
"""

from django import forms
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth import get_user_model
from django.contrib.auth.forms import AuthenticationForm, UserChangeForm
from django.contrib.auth.models import Group
from django.db.models import Q
from django.db.models.signals import m2m_changed, post_delete, pre_delete

from .models import Author

# Made by migration 0003 with their permissions.
EDITORIAL_GROUPS = ("Writers", "Editors")

NOT_ON_DESK = (
    "Your password is right, but your account is not on the newsroom's desk yet, so it "
    "can't open the admin. Ask an administrator to add you to Writers or Editors."
)


def is_on_desk(user):
    """Whether `user` belongs to Writers or Editors."""
    return user.groups.filter(name__in=EDITORIAL_GROUPS).exists()


def keep_staff_status_in_step(user_ids):
    """Give staff status to those of `user_ids` in an editorial group, and take it from the
    others: the editorial groups were all that let them in. Superusers keep theirs."""
    users = get_user_model().objects.filter(pk__in=user_ids, is_superuser=False)
    on_desk = Q(groups__name__in=EDITORIAL_GROUPS)
    users.filter(on_desk, is_staff=False).update(is_staff=True)
    users.exclude(on_desk).filter(is_staff=True).update(is_staff=False)


def _is_editorial(group_ids):
    return Group.objects.filter(pk__in=group_ids, name__in=EDITORIAL_GROUPS).exists()


def _membership_changed(sender, instance, action, reverse, pk_set, **kwargs):
    """user.groups.add/remove/set/clear() and group.user_set.…(), the admin's forms included."""
    if reverse:
        # `instance` is a group, `pk_set` its users.
        if instance.name not in EDITORIAL_GROUPS:
            return
        if action == "pre_clear":
            instance._desk_members = list(instance.user_set.values_list("pk", flat=True))
        elif action == "post_clear":
            keep_staff_status_in_step(getattr(instance, "_desk_members", []))
        elif action in ("post_add", "post_remove"):
            keep_staff_status_in_step(pk_set)
        return
    # `instance` is a user, `pk_set` the groups.
    if action == "pre_clear":
        instance._was_on_desk = is_on_desk(instance)
        return
    if action == "post_clear":
        involved = getattr(instance, "_was_on_desk", False)
    elif action in ("post_add", "post_remove"):
        involved = _is_editorial(pk_set)
    else:
        return
    if involved:
        keep_staff_status_in_step([instance.pk])
        # A later save of this same object must not write the old status back.
        if not instance.is_superuser:
            instance.is_staff = is_on_desk(instance)


def _group_deleting(sender, instance, **kwargs):
    if instance.name in EDITORIAL_GROUPS:
        instance._desk_members = list(instance.user_set.values_list("pk", flat=True))


def _group_deleted(sender, instance, **kwargs):
    keep_staff_status_in_step(getattr(instance, "_desk_members", []))


def connect():
    m2m_changed.connect(_membership_changed, sender=get_user_model().groups.through)
    pre_delete.connect(_group_deleting, sender=Group)
    post_delete.connect(_group_deleted, sender=Group)


class DeskAuthenticationForm(AdminAuthenticationForm):
    """The admin's sign-in: for active staff, or anyone on the desk."""

    error_messages = {
        **AdminAuthenticationForm.error_messages,
        "invalid_login": (
            "Please enter the correct %(username)s and password of your newsroom account. "
            "Note that both fields may be case-sensitive."
        ),
        "not_on_desk": NOT_ON_DESK,
    }

    def confirm_login_allowed(self, user):
        # The active check, without the admin's staff check that blames the password.
        AuthenticationForm.confirm_login_allowed(self, user)
        if user.is_staff:
            return
        if not is_on_desk(user):
            raise forms.ValidationError(self.error_messages["not_on_desk"], code="not_on_desk")
        # Put in a group before staff status followed membership (or by a bulk write
        # that sends no signal): membership is what counts.
        user.is_staff = True
        user.save(update_fields=["is_staff"])


class DeskUserChangeForm(UserChangeForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "is_staff" in self.fields:
            self.fields["is_staff"].help_text = (
                "Whether the user can sign in to the admin. Members of Writers or Editors "
                "always can, and can't once they leave both groups; tick it by hand only "
                "for someone who needs the admin without being on the desk."
            )

    def clean(self):
        cleaned_data = super().clean()
        groups = cleaned_data.get("groups")
        stays_on_desk = groups is not None and groups.filter(name__in=EDITORIAL_GROUPS).exists()
        # Unticked by hand; a newcomer put in a group gets it when the groups are saved.
        if stays_on_desk and "is_staff" in self.changed_data and not cleaned_data["is_staff"]:
            self.add_error(
                "is_staff",
                "Members of Writers or Editors always sign in to the admin. To take this "
                "user's access away, remove them from those groups (or untick Active).",
            )
        return cleaned_data


class DeskUserChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, user):
        name = user.get_full_name()
        return f"{user.get_username()} ({name})" if name else user.get_username()


class AuthorAdminForm(forms.ModelForm):
    """An author profile, with the account that writes as the author."""

    class Meta:
        model = Author
        fields = ["name", "slug", "role", "bio", "portrait", "user"]
        field_classes = {"user": DeskUserChoiceField}
        error_messages = {
            "user": {
                "unique": "That account already writes as another author. Unlink it there "
                "first, or choose another account."
            }
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "user" in self.fields:
            # A plain list, not an autocomplete: editors may link accounts they can't
            # otherwise see in the admin.
            self.fields["user"].queryset = (
                get_user_model().objects.filter(is_active=True).order_by("username")
            )
