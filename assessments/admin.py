"""Admin for municipalities, memberships and rounds."""

from django.contrib import admin

from assessments.models import (
    AgreedLevel,
    Answer,
    ApiToken,
    Assessment,
    Membership,
    Municipality,
    Region,
    RegionMembership,
    Response,
)


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["user"]


@admin.register(Municipality)
class MunicipalityAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "province", "region_role", "valid_until", "is_demo"]
    list_filter = ["province", "region_role", "is_demo", "valid_until"]
    list_editable = ["region_role"]
    search_fields = ["name", "code"]
    inlines = [MembershipInline]
    autocomplete_fields = ["successor"]


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
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


class RegionMembershipInline(admin.TabularInline):
    model = RegionMembership
    extra = 0
    autocomplete_fields = ["user"]


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    """Staff set up regions and their coordinators; the members decide what they share."""

    list_display = ["name", "kind", "lead", "valid_from", "valid_until"]
    list_filter = ["kind"]
    search_fields = ["name"]
    autocomplete_fields = ["lead", "members"]
    list_select_related = ["lead"]
    inlines = [RegionMembershipInline]
