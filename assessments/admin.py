"""Admin for municipalities, memberships and rounds."""

from django.contrib import admin
from django.contrib.admin.widgets import AutocompleteSelect, AutocompleteSelectMultiple
from django.core.exceptions import ValidationError

from assessments.common.converters import MAX_ID
from assessments.common.fields import IdModelChoiceField, IdModelMultipleChoiceField
from assessments.models import (
    AgreedLevel,
    Answer,
    ApiToken,
    Assessment,
    Membership,
    Municipality,
    Region,
    RegionInvitation,
    RegionMembership,
    Response,
)


class _KnownIdsOnly:
    """An autocomplete widget that, showing a refused form again, looks up only the values
    that can be ids: Django's looks up whatever was sent (``pk__in=["abc"]``) and the page
    fails with a server error. A value that is no id is left out; the field's own error
    already says it is not a valid choice, and nothing was saved."""

    def optgroups(self, name, value, attr=None):
        remote = self.field.remote_field
        target = remote.model._meta.get_field(
            getattr(remote, "field_name", self.field.model._meta.pk.attname)
        )
        ids = []
        for item in value:
            try:
                number = target.to_python(item)
            except ValidationError:
                continue
            if isinstance(number, int) and abs(number) > MAX_ID:
                continue  # SQLite cannot even compare it
            ids.append(item)
        return super().optgroups(name, ids, attr)


class KnownIdsSelect(_KnownIdsOnly, AutocompleteSelect):
    pass


class KnownIdsSelectMultiple(_KnownIdsOnly, AutocompleteSelectMultiple):
    pass


class KnownIdsAutocomplete:
    """For every admin with ``autocomplete_fields``: the widgets above, and choice fields
    that refuse an id past the largest bigint (``common.fields``)."""

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name in self.get_autocomplete_fields(request):
            kwargs.setdefault(
                "widget", KnownIdsSelect(db_field, self.admin_site, using=kwargs.get("using"))
            )
        kwargs.setdefault("form_class", IdModelChoiceField)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name in self.get_autocomplete_fields(request):
            kwargs.setdefault(
                "widget",
                KnownIdsSelectMultiple(db_field, self.admin_site, using=kwargs.get("using")),
            )
        kwargs.setdefault("form_class", IdModelMultipleChoiceField)
        return super().formfield_for_manytomany(db_field, request, **kwargs)


class MembershipInline(KnownIdsAutocomplete, admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["user"]


@admin.register(Municipality)
class MunicipalityAdmin(KnownIdsAutocomplete, admin.ModelAdmin):
    list_display = ["name", "code", "province", "region_role", "valid_until", "is_demo"]
    list_filter = ["province", "region_role", "is_demo", "valid_until"]
    list_editable = ["region_role"]
    search_fields = ["name", "code"]
    inlines = [MembershipInline]
    autocomplete_fields = ["successor"]


@admin.register(Membership)
class MembershipAdmin(KnownIdsAutocomplete, admin.ModelAdmin):
    list_display = ["user", "municipality", "role", "valid_until", "created_at"]
    list_filter = ["role", "municipality__province"]
    search_fields = ["user__username", "user__email", "municipality__name"]
    autocomplete_fields = ["user", "municipality"]
    list_select_related = ["user", "municipality"]


@admin.register(Assessment)
class AssessmentAdmin(admin.ModelAdmin):
    list_display = ["title", "municipality", "framework", "status", "created_at"]
    list_filter = ["status", "framework"]
    search_fields = ["title", "municipality__name"]
    list_select_related = ["municipality", "framework"]
    # Consent is the municipality's, switched by its coordinator and logged
    # (services.set_region_consent); staff do not change it here.
    readonly_fields = ["created_at", "closed_at", "shares_with_region"]
    raw_id_fields = ["municipality", "created_by", "closed_by"]


@admin.register(Response)
class ResponseAdmin(admin.ModelAdmin):
    list_display = ["assessment", "respondent", "perspective", "is_included", "updated_at"]
    list_filter = ["perspective", "is_included"]
    search_fields = ["assessment__title", "respondent__username"]
    raw_id_fields = ["assessment", "respondent"]


@admin.register(Answer)
class AnswerAdmin(admin.ModelAdmin):
    list_display = ["response", "question", "value", "updated_at"]
    list_filter = ["value"]
    search_fields = ["question__code", "note"]
    raw_id_fields = ["response", "question", "updated_by"]


@admin.register(AgreedLevel)
class AgreedLevelAdmin(admin.ModelAdmin):
    list_display = ["assessment", "question", "level", "decided_by", "decided_at"]
    search_fields = ["assessment__title", "question__code", "rationale"]
    list_select_related = ["assessment", "question", "decided_by"]
    raw_id_fields = ["assessment", "question", "decided_by"]


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    """Staff see and can revoke (set ``revoked_at``) tokens; the secret is never here."""

    list_display = ["name", "user", "prefix", "created_at", "expires_at", "revoked_at"]
    list_filter = ["revoked_at"]
    search_fields = ["name", "user__username", "prefix"]
    list_select_related = ["user"]
    fields = ["user", "name", "prefix", "created_at", "expires_at", "last_used_at", "revoked_at"]
    readonly_fields = ["user", "name", "prefix", "created_at", "expires_at", "last_used_at"]

    def has_add_permission(self, request) -> bool:
        return False  # made in the profile, where the secret is shown once


class RegionMembershipInline(KnownIdsAutocomplete, admin.TabularInline):
    model = RegionMembership
    extra = 0
    autocomplete_fields = ["user"]


class RegionInvitationInline(admin.TabularInline):
    """Read only: a municipality's own coordinator answers an invitation, not staff."""

    model = RegionInvitation
    extra = 0
    fields = ["municipality", "status", "invited_by", "created_at", "decided_by", "decided_at"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Region)
class RegionAdmin(KnownIdsAutocomplete, admin.ModelAdmin):
    """Regions and their coordinators; coordinators usually set them up themselves
    (assessments/regions/), the members decide what they share."""

    list_display = ["name", "kind", "lead", "valid_from", "valid_until"]
    list_filter = ["kind"]
    search_fields = ["name"]
    autocomplete_fields = ["lead", "members"]
    list_select_related = ["lead"]
    inlines = [RegionMembershipInline, RegionInvitationInline]
