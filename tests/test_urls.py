"""Every URL name and path stays as it was when the code moved into feature packages
(docs/decisions/0006-feature-packages.md): bookmarks, e-mails and API clients use them."""

import re

from django.urls import URLResolver, get_resolver

# (name, path) with the converters left out: what a user or client sees and links to.
URLS = [
    ("accept_invitation", "uitnodiging/<token>/"),
    ("api:root", "api/v1/"),
    ("api:docs", "api/v1/docs/"),
    ("api:municipalities", "api/v1/gemeenten/"),
    ("api:municipality", "api/v1/gemeenten/<pk>/"),
    ("api:region_heatmap", "api/v1/regios/<pk>/heatmap/"),
    ("api:regions", "api/v1/regios/"),
    ("api:round", "api/v1/metingen/<pk>/"),
    ("api:round_actions", "api/v1/metingen/<pk>/acties/"),
    ("api:round_indicators", "api/v1/metingen/<pk>/indicatoren/"),
    ("api:round_legal_duties", "api/v1/metingen/<pk>/wettelijke-plichten/"),
    ("api:round_scores", "api/v1/metingen/<pk>/scores/"),
    ("api:rounds", "api/v1/metingen/"),
    ("api:schema", "api/v1/schema/"),
    ("assessments:action_add", "meting/<pk>/acties/nieuw/"),
    ("assessments:action_delete", "meting/<pk>/acties/<action_id>/verwijderen/"),
    ("assessments:action_edit", "meting/<pk>/acties/<action_id>/"),
    ("assessments:action_follow_up", "meting/<pk>/acties/<action_id>/voortgang/"),
    ("assessments:action_timeline", "meting/<pk>/acties/tijdlijn/"),
    ("assessments:actions", "meting/<pk>/acties/"),
    ("assessments:actions_propose", "meting/<pk>/acties/voorstellen/"),
    ("assessments:actions_xlsx", "meting/<pk>/export/actieplan.xlsx"),
    ("assessments:accessibility_statement", "toegankelijkheidsverklaring/"),
    ("assessments:agreed_level", "meting/<pk>/gesprek/<question_id>/vaststellen/"),
    ("assessments:answer", "meting/<pk>/antwoord/<question_id>/"),
    ("assessments:answer_history", "meting/<pk>/antwoord/<question_id>/historie/"),
    ("assessments:answers_csv", "meting/<pk>/export/antwoorden.csv"),
    ("assessments:answers_xlsx", "meting/<pk>/export/antwoorden.xlsx"),
    ("assessments:api_token_revoke", "profiel/api-sleutels/<token_id>/intrekken/"),
    ("assessments:answers_import", "meting/<pk>/importeren/"),
    ("assessments:batch_export", "exports/<export_id>/"),
    ("assessments:batch_export_download", "exports/<export_id>/metingen.zip"),
    ("assessments:batch_export_new", "exports/nieuw/"),
    ("assessments:batch_export_status", "exports/<export_id>/status/"),
    ("assessments:blank_questionnaire", "meting/<pk>/lege-vragenlijst.pdf"),
    ("assessments:blank_step_questionnaire", "meting/<pk>/stap/<step>/lege-vragenlijst.pdf"),
    ("assessments:close", "meting/<pk>/afsluiten/"),
    ("assessments:consultant_grant", "gemeente/<municipality_id>/adviseurs/"),
    (
        "assessments:consultant_revoke",
        "gemeente/<municipality_id>/adviseurs/<membership_id>/intrekken/",
    ),
    ("assessments:detail", "meting/<pk>/"),
    ("assessments:dialogue", "meting/<pk>/gesprek/"),
    ("assessments:due_date", "meting/<pk>/invullen-voor/"),
    ("assessments:home", ""),
    (
        "assessments:invitation_resend",
        "gemeente/<municipality_id>/uitnodigingen/<invitation_id>/opnieuw-versturen/",
    ),
    (
        "assessments:invitation_withdraw",
        "gemeente/<municipality_id>/uitnodigingen/<invitation_id>/intrekken/",
    ),
    ("assessments:member_remove", "gemeente/<municipality_id>/leden/<membership_id>/verwijderen/"),
    ("assessments:member_role", "gemeente/<municipality_id>/leden/<membership_id>/rol/"),
    ("assessments:members", "gemeente/<municipality_id>/leden/"),
    ("assessments:partner_answer", "partner/<link_id>/antwoord/<question_id>/"),
    ("assessments:partner_entry", "partner/<link_id>/"),
    ("assessments:partner_home", "partner/<link_id>/start/"),
    ("assessments:partner_leave", "partner/<link_id>/stoppen/"),
    ("assessments:partner_link", "meting/<pk>/partners/<link_id>/"),
    ("assessments:partner_link_revoke", "meting/<pk>/partners/<link_id>/intrekken/"),
    ("assessments:partner_links", "meting/<pk>/partners/"),
    ("assessments:partner_questionnaire", "partner/<link_id>/stap/<step>/"),
    ("assessments:perspective", "meting/<pk>/perspectief/"),
    ("assessments:privacy_statement", "privacyverklaring/"),
    ("assessments:profile", "profiel/"),
    ("assessments:progress_pdf", "meting/<pk>/voortgang.pdf"),
    ("assessments:questionnaire", "meting/<pk>/stap/<step>/"),
    ("assessments:municipality_regions", "gemeente/<municipality_id>/regios/"),
    ("assessments:region", "regio/<region_id>/"),
    ("assessments:region_consent", "meting/<pk>/delen-met-regio/"),
    (
        "assessments:region_coordinator_appoint",
        "regio/<region_id>/beheer/regio-coordinatoren/",
    ),
    (
        "assessments:region_coordinator_remove",
        "regio/<region_id>/beheer/regio-coordinatoren/<membership_id>/verwijderen/",
    ),
    (
        "assessments:region_coordinator_invitation_withdraw",
        "regio/<region_id>/beheer/regio-coordinatoren/uitnodigingen/<invitation_id>/intrekken/",
    ),
    ("assessments:region_create", "gemeente/<municipality_id>/regios/nieuw/"),
    (
        "assessments:region_invitation_answer",
        "gemeente/<municipality_id>/regio-uitnodigingen/<invitation_id>/",
    ),
    (
        "assessments:region_invitation_withdraw",
        "regio/<region_id>/beheer/gemeenten/<invitation_id>/intrekken/",
    ),
    ("assessments:region_invite", "regio/<region_id>/beheer/gemeenten/"),
    ("assessments:region_manage", "regio/<region_id>/beheer/"),
    ("assessments:region_pdf", "regio/<region_id>/overzicht.pdf"),
    ("assessments:reopen", "meting/<pk>/heropenen/"),
    ("assessments:report", "meting/<pk>/rapport/"),
    ("assessments:report_branding", "gemeente/<municipality_id>/rapport-voorblad/"),
    ("assessments:report_download", "meting/<pk>/rapport.pdf"),
    ("assessments:report_make", "meting/<pk>/rapport/maken/"),
    ("assessments:report_status", "meting/<pk>/rapport/status/"),
    ("assessments:response_include", "meting/<pk>/invulling/<response_id>/meetellen/"),
    ("assessments:results", "meting/<pk>/resultaten/"),
    ("assessments:scores_csv", "meting/<pk>/export/scores.csv"),
    ("assessments:start", "gemeente/<municipality_id>/meting/nieuw/"),
    ("assessments:targets", "meting/<pk>/ambitie/"),
    ("assessments:trend", "meting/<pk>/ontwikkeling/"),
    ("assessments:unsubscribe", "afmelden/<token>/"),
    ("assessments:workshop", "meting/<pk>/gesprek/scherm/<number>/"),
    ("healthz", "healthz"),
    ("login", "accounts/login/"),
    ("metrics", "metrics"),
    ("logout", "accounts/logout/"),
    ("oidc_authentication_callback", "accounts/sso/terug/"),
    ("oidc_authentication_init", "accounts/sso/"),
    ("password_change", "accounts/wachtwoord-wijzigen/"),
    ("password_change_done", "accounts/wachtwoord-wijzigen/klaar/"),
    ("password_reset", "accounts/wachtwoord-vergeten/"),
    ("password_reset_complete", "accounts/nieuw-wachtwoord/klaar/"),
    ("password_reset_confirm", "accounts/nieuw-wachtwoord/<uidb64>/<token>/"),
    ("password_reset_done", "accounts/wachtwoord-vergeten/verstuurd/"),
    ("set_language", "i18n/setlang/"),
    ("two_factor_setup", "accounts/tweestaps/instellen/"),
    ("two_factor_verify", "accounts/tweestaps/"),
]


def _walk(patterns, prefix="", namespace=""):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = namespace + (f"{pattern.namespace}:" if pattern.namespace else "")
            yield from _walk(pattern.url_patterns, prefix + str(pattern.pattern), inner)
        elif pattern.name:
            yield (
                namespace + pattern.name,
                re.sub(r"<\w+:(\w+)>", r"<\1>", prefix + str(pattern.pattern)),
            )


def test_every_url_name_and_path_is_unchanged():
    found = sorted(
        {(n, p) for n, p in _walk(get_resolver().url_patterns) if not n.startswith("admin:")}
    )
    assert found == sorted(URLS)
