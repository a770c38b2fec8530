"""The privacy duties: the public statements staff edit, and the record of each erasure."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Statement(models.Model):
    """The text of a public statement page in one language, as staff wrote it.

    Without a row the page shows the default Dutch text in ``assessments/privacy/texts.py``,
    written from the repository's own facts (docs/security.md, docs/accessibility.md).
    """

    class Kind(models.TextChoices):
        PRIVACY = "privacy", _("Privacyverklaring")
        ACCESSIBILITY = "toegankelijkheid", _("Toegankelijkheidsverklaring")

    kind = models.CharField(_("soort"), max_length=20, choices=Kind.choices)
    language = models.CharField(
        _("taal"), max_length=10, choices=settings.LANGUAGES, default=settings.LANGUAGE_CODE
    )
    # Markdown without HTML (assessments/privacy/services.render_markdown).
    body = models.TextField(
        _("tekst"), help_text=_("Opmaak met Markdown: ## kopje, - opsomming, [link](adres).")
    )
    updated_at = models.DateTimeField(_("gewijzigd op"), auto_now=True)

    class Meta:
        verbose_name = _("verklaring")
        verbose_name_plural = _("verklaringen")
        ordering = ["kind", "language"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "language"], name="assessments_statement_one_per_language"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.language})"


class Erasure(models.Model):
    """That a person's personal data was erased, when and why: the account stays as
    "Invuller (Wonen)" so that their answers keep counting (assessments/privacy/services.py).

    The row says only that it happened; what was erased is gone."""

    class Reason(models.TextChoices):
        RETENTION = "bewaartermijn", _("Bewaartermijn verstreken")
        REQUEST = "verzoek", _("Verzoek van de persoon")

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="erasure",
        verbose_name=_("gebruiker"),
    )
    reason = models.CharField(_("reden"), max_length=20, choices=Reason.choices)
    erased_at = models.DateTimeField(_("gewist op"), auto_now_add=True)

    class Meta:
        verbose_name = _("wissing van persoonsgegevens")
        verbose_name_plural = _("wissingen van persoonsgegevens")
        ordering = ["-erased_at"]

    def __str__(self) -> str:
        return f"{self.user_id} · {self.get_reason_display()}"
