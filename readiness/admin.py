"""Admin for the question bank. A version in use is read-only: new content is a new version."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from .models import ActionTemplate, FrameworkVersion, Question, Source, Step, Theme


class LockedWhenInUse(admin.ModelAdmin):
    """Read-only once the framework version is published and used by a round."""

    def _framework(self, obj):
        return obj if isinstance(obj, FrameworkVersion) else getattr(obj, "framework", None)

    def has_change_permission(self, request, obj=None):
        framework = self._framework(obj) if obj else None
        if framework is not None and framework.is_locked:
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        framework = self._framework(obj) if obj else None
        if framework is not None and framework.is_in_use:
            return False
        return super().has_delete_permission(request, obj)


@admin.register(FrameworkVersion)
class FrameworkVersionAdmin(LockedWhenInUse):
    list_display = ["name", "version", "status", "published_at", "source_file"]
    list_filter = ["status"]
    search_fields = ["name", "version"]
    readonly_fields = ["content_hash", "created_at"]


@admin.register(Source)
class SourceAdmin(LockedWhenInUse):
    list_display = ["code", "title", "framework"]
    list_filter = ["framework"]
    search_fields = ["code", "title"]


@admin.register(Step)
class StepAdmin(LockedWhenInUse):
    list_display = ["order", "title", "code", "framework"]
    list_filter = ["framework"]
    search_fields = ["title"]


@admin.register(Theme)
class ThemeAdmin(LockedWhenInUse):
    list_display = ["code", "title", "step", "framework"]
    list_filter = ["framework", "step__code"]
    search_fields = ["code", "title"]


@admin.register(Question)
class QuestionAdmin(LockedWhenInUse):
    list_display = [
        "code",
        "key",
        "short_statement",
        "theme",
        "weight",
        "is_critical",
        "framework",
    ]
    list_filter = ["framework", "theme__step__code", "theme__code", "weight", "is_critical"]
    search_fields = ["code", "key", "statement", "help_text"]
    list_select_related = ["theme", "framework"]

    @admin.display(description=_("stelling"))
    def short_statement(self, obj: Question) -> str:
        return obj.statement[:80]


@admin.register(ActionTemplate)
class ActionTemplateAdmin(LockedWhenInUse):
    list_display = ["code", "title", "theme", "question", "owner_domain", "horizon_months", "level"]
    list_filter = ["framework", "theme__code", "owner_domain", "level"]
    search_fields = ["code", "title", "description", "done_when"]
    list_select_related = ["theme", "question"]
