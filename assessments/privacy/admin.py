"""Staff's privacy tools in the admin: the statements' text, and on the user list an
inzageverzoek (one person's data as JSON) and the erasure of a person's personal data.

Imported by ``assessments/admin.py``; Django's admin checks staff and the user
permissions (``view`` to export, ``change`` to erase) before an action runs.
"""

from __future__ import annotations

from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from assessments.common.downloads import download
from assessments.common.securitylog import actor_label, client_ip
from assessments.models import Erasure, Statement
from assessments.privacy import services
from assessments.privacy.texts import default_body


@admin.register(Statement)
class StatementAdmin(admin.ModelAdmin):
    list_display = ["kind", "language", "updated_at"]
    list_filter = ["kind", "language"]

    def get_changeform_initial_data(self, request):
        """A new statement starts from the text the page shows now (the default)."""
        initial = super().get_changeform_initial_data(request)
        initial.setdefault("kind", Statement.Kind.PRIVACY)
        initial.setdefault("body", default_body(initial["kind"]))
        return initial


@admin.register(Erasure)
class ErasureAdmin(admin.ModelAdmin):
    list_display = ["user", "reason", "erased_at"]
    list_filter = ["reason"]
    readonly_fields = ["user", "reason", "erased_at"]

    def has_add_permission(self, request) -> bool:
        return False  # an erasure is made by the action on the user list, never by hand

    def has_change_permission(self, request, obj=None) -> bool:
        return False


User = get_user_model()


@admin.action(
    description=gettext_lazy("Inzageverzoek: alle gegevens van deze persoon (JSON)"),
    permissions=["view"],
)
def export_person_data(modeladmin, request, queryset):
    if queryset.count() != 1:
        modeladmin.message_user(
            request, _("Kies precies één persoon voor een inzageverzoek."), messages.ERROR
        )
        return None
    person = queryset.get()
    content = services.export_person_json(
        person, actor=actor_label(request.user), ip=client_ip(request)
    )
    return download(
        content, filename=f"inzage-gebruiker-{person.pk}.json", content_type="application/json"
    )


@admin.action(
    description=gettext_lazy("Persoonsgegevens wissen (antwoorden blijven, zonder naam)"),
    permissions=["change"],
)
def erase_personal_data(modeladmin, request, queryset):
    people = list(queryset.exclude(pk=request.user.pk))
    if not people:
        modeladmin.message_user(request, _("U kunt uw eigen gegevens niet wissen."), messages.ERROR)
        return None
    if request.POST.get("confirm") != "yes":
        for person in people:
            person.sole_coordinator_of = services.sole_coordinator_of(person)
        return TemplateResponse(
            request,
            "assessments/privacy/erase_confirm.html",
            {
                **modeladmin.admin_site.each_context(request),
                "title": _("Persoonsgegevens wissen"),
                "people": people,
                "action_name": "erase_personal_data",
                "opts": modeladmin.model._meta,
            },
        )
    for person in people:
        services.erase_person(
            user=person,
            reason=Erasure.Reason.REQUEST,
            actor=actor_label(request.user),
            ip=client_ip(request),
        )
    modeladmin.message_user(
        request,
        _("De persoonsgegevens van %(n)s persoon/personen zijn gewist.") % {"n": len(people)},
        messages.SUCCESS,
    )
    return None


class PersonAdmin(UserAdmin):
    actions = [*UserAdmin.actions, export_person_data, erase_personal_data]


admin.site.unregister(User)
admin.site.register(User, PersonAdmin)
