"""The readiness model: framework versions and their steps, themes, questions and actions.

A framework version is the questionnaire. Once it is published and a round uses it, its
content is frozen: any change is refused, and new content becomes a new version. That
keeps every old round and its report meaningful.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _


class AnswerValue(models.TextChoices):
    """The answer scale: five levels plus 'weet niet' and 'n.v.t.'."""

    LEVEL_0 = "0", _("0 · Afwezig")
    LEVEL_1 = "1", _("1 · Verkennend")
    LEVEL_2 = "2", _("2 · In ontwikkeling")
    LEVEL_3 = "3", _("3 · Ingericht")
    LEVEL_4 = "4", _("4 · Geborgd en lerend")
    UNKNOWN = "weet_niet", _("Weet niet")
    NOT_APPLICABLE = "nvt", _("N.v.t.")


LEVEL_LABELS = {
    0: _("Afwezig"),
    1: _("Verkennend"),
    2: _("In ontwikkeling"),
    3: _("Ingericht"),
    4: _("Geborgd en lerend"),
}


class Domain(models.TextChoices):
    """Municipal domains and partners: a respondent's perspective or an action's owner.

    Codes are stored in old rounds and snapshots: add new ones, never rename or remove one.
    ``partner`` predates the separate partner codes below and stays for old answers.
    """

    WMO_ZORG = "wmo_zorg", _("Wmo en zorg")
    WONEN = "wonen", _("Wonen")
    OOV = "oov", _("Openbare orde en veiligheid")
    WERK_INKOMEN = "werk_inkomen", _("Werk en inkomen")
    OPENBARE_RUIMTE = "openbare_ruimte", _("Openbare ruimte")
    BESTUUR = "bestuur", _("Bestuur en regio")
    PARTNER = "partner", _("Partner (aanbieder, corporatie)")
    FINANCIEN = "financien", _("Financiën")
    INKOOP = "inkoop", _("Inkoop en contractmanagement")
    INFORMATIE_FG = "informatie_fg", _("Informatievoorziening en privacy (FG)")
    GGD = "ggd", _("GGD en publieke gezondheid")
    REGIO = "regio", _("Regio en centrumgemeente")
    ERVARING = "ervaring", _("Ervaringsdeskundige of cliëntvertegenwoordiger")
    CORPORATIE = "corporatie", _("Woningcorporatie")
    ZORGAANBIEDER = "zorgaanbieder", _("Zorgaanbieder")
    POLITIE = "politie", _("Politie en veiligheidspartners")


class RegionRole(models.TextChoices):
    """A municipality's role in its region for beschermd wonen (action wording differs)."""

    CENTRUMGEMEENTE = "centrumgemeente", _("Centrumgemeente")
    REGIOGEMEENTE = "regiogemeente", _("Regiogemeente")


class QuestionKind(models.TextChoices):
    """What a statement asks: a maturity level, whether a legal duty is met, or a number.

    Only maturity statements are scored; a legal duty is met or not (with its article),
    and an indicator is a number with a unit and a period, followed over rounds.
    """

    MATURITY = "maturity", _("Volwassenheid")
    LEGAL_DUTY = "legal_duty", _("Wettelijke plicht")
    INDICATOR = "indicator", _("Indicator")


class Applicability(models.TextChoices):
    """Which municipalities a statement or action is for, by their role in the region."""

    ALL = "all", _("Alle gemeenten")
    CENTRUMGEMEENTE = "centrumgemeente", _("Alleen centrumgemeenten")
    REGIOGEMEENTE = "regiogemeente", _("Alleen regiogemeenten")


class ActionLevel(models.TextChoices):
    BESTUURLIJK = "bestuurlijk", _("Bestuurlijk")
    AMBTELIJK = "ambtelijk", _("Ambtelijk")


class FrameworkVersionQuerySet(models.QuerySet["FrameworkVersion"]):
    def published(self) -> FrameworkVersionQuerySet:
        return self.filter(status=FrameworkVersion.Status.PUBLISHED)


class FrameworkVersion(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Concept")
        PUBLISHED = "published", _("Gepubliceerd")

    name = models.CharField(_("naam"), max_length=200)
    version = models.CharField(_("versie"), max_length=40)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    description = models.TextField(_("omschrijving"), blank=True)
    source_file = models.CharField(_("bronbestand"), max_length=200, blank=True)
    # The hash of the loaded file: loading the same file again is then a no-op.
    content_hash = models.CharField(_("inhoudshash"), max_length=64, blank=True)
    published_at = models.DateTimeField(_("gepubliceerd op"), null=True, blank=True)
    created_at = models.DateTimeField(_("aangemaakt op"), auto_now_add=True)

    objects = FrameworkVersionQuerySet.as_manager()

    class Meta:
        verbose_name = _("versie van de vragenlijst")
        verbose_name_plural = _("versies van de vragenlijst")
        ordering = ["name", "-published_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["name", "version"], name="readiness_framework_unique_version"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} {self.version}"

    def save(self, *args, **kwargs) -> None:
        if self.pk is not None:
            stored = FrameworkVersion.objects.filter(pk=self.pk).first()
            if stored is not None and stored.is_locked and self._content_changed(stored):
                raise ValidationError(LOCKED_MESSAGE)
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        if self.is_in_use:
            raise ValidationError(LOCKED_MESSAGE)
        return super().delete(*args, **kwargs)

    @property
    def is_published(self) -> bool:
        return self.status == self.Status.PUBLISHED

    @property
    def is_in_use(self) -> bool:
        return self.assessments.exists()

    @property
    def cache_key(self) -> tuple[int, str] | None:
        """The key under which a process may keep this version's content, or None.

        Only a published version: once a round uses it, it is locked (``is_locked``), and a
        page about a round is such a use. The content hash is part of the key, so content
        under a reused id (a restored database, tests that roll back) is never mixed up.
        """
        if self.pk is None or not self.is_published:
            return None
        return (self.pk, self.content_hash)

    @property
    def is_locked(self) -> bool:
        """A published version that a round uses can no longer change."""
        return self.pk is not None and self.is_published and self.is_in_use

    def _content_changed(self, stored: FrameworkVersion) -> bool:
        fields = ("name", "version", "status", "description", "content_hash")
        return any(getattr(self, f) != getattr(stored, f) for f in fields)


LOCKED_MESSAGE = _(
    "Deze versie van de vragenlijst is gepubliceerd en wordt al gebruikt in een meting. "
    "Wijzigen kan niet meer: maak een nieuwe versie."
)


class FrameworkContent(models.Model):
    """Base for everything that belongs to one framework version and freezes with it.

    Subclasses define ``framework`` (a foreign key to FrameworkVersion).
    """

    framework_id: int | None

    class Meta:
        abstract = True

    def save(self, *args, **kwargs) -> None:
        self._refuse_if_locked()
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        self._refuse_if_locked()
        return super().delete(*args, **kwargs)

    def _refuse_if_locked(self) -> None:
        if self.framework_id and FrameworkVersion.objects.get(pk=self.framework_id).is_locked:
            raise ValidationError(LOCKED_MESSAGE)


class Source(FrameworkContent):
    framework = models.ForeignKey(
        FrameworkVersion, on_delete=models.CASCADE, related_name="sources"
    )
    code = models.CharField(_("code"), max_length=20)
    title = models.TextField(_("titel"))
    url = models.URLField(_("adres"), max_length=500, blank=True)
    year = models.PositiveSmallIntegerField(_("jaar"), null=True, blank=True)

    class Meta:
        verbose_name = _("bron")
        verbose_name_plural = _("bronnen")
        ordering = ["framework", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["framework", "code"], name="readiness_source_unique_code"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code}: {self.title}"


class Step(FrameworkContent):
    class Code(models.TextChoices):
        WIJKBASIS = "wijkbasis", _("Stevige basis in de wijk")
        SAMENWERKING = "samenwerking", _("Samenwerken over domeinen en met partners")
        START_NU = "start_nu", _("Start nu")

    framework = models.ForeignKey(FrameworkVersion, on_delete=models.CASCADE, related_name="steps")
    code = models.CharField(_("code"), max_length=20, choices=Code.choices)
    order = models.PositiveSmallIntegerField(_("volgorde"))
    title = models.CharField(_("titel"), max_length=200)
    description = models.TextField(_("omschrijving"), blank=True)

    class Meta:
        verbose_name = _("stap")
        verbose_name_plural = _("stappen")
        ordering = ["framework", "order"]
        constraints = [
            models.UniqueConstraint(
                fields=["framework", "code"], name="readiness_step_unique_code"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.order}. {self.title}"


class Theme(FrameworkContent):
    framework = models.ForeignKey(FrameworkVersion, on_delete=models.CASCADE, related_name="themes")
    step = models.ForeignKey(
        Step, on_delete=models.CASCADE, related_name="themes", verbose_name=_("stap")
    )
    code = models.CharField(_("code"), max_length=4)
    order = models.PositiveSmallIntegerField(_("volgorde"))
    title = models.CharField(_("titel"), max_length=200)
    description = models.TextField(_("omschrijving"), blank=True)

    class Meta:
        verbose_name = _("thema")
        verbose_name_plural = _("thema's")
        ordering = ["framework", "order"]
        constraints = [
            models.UniqueConstraint(
                fields=["framework", "code"], name="readiness_theme_unique_code"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"


class Question(FrameworkContent):
    framework = models.ForeignKey(
        FrameworkVersion, on_delete=models.CASCADE, related_name="questions"
    )
    theme = models.ForeignKey(
        Theme, on_delete=models.CASCADE, related_name="questions", verbose_name=_("thema")
    )
    code = models.CharField(_("code"), max_length=10)
    # The same statement keeps its key across versions (codes may move between themes):
    # trends and carry-forward compare rounds on different versions by key. Empty for
    # versions before keys existed; readiness/questionbank/mapping-*.toml maps those.
    key = models.SlugField(_("sleutel"), max_length=60, blank=True)
    order = models.PositiveSmallIntegerField(_("volgorde"))
    statement = models.TextField(_("stelling"))
    help_text = models.TextField(_("toelichting"), help_text=_("Waarom dit ertoe doet."))
    sources = models.CharField(
        _("bronnen"), max_length=200, help_text=_("Broncodes, gescheiden door komma's.")
    )
    source_note = models.CharField(_("bronnotitie"), max_length=300, blank=True)
    weight = models.PositiveSmallIntegerField(_("gewicht"), default=2)
    is_critical = models.BooleanField(_("kritiek"), default=False)
    # Five texts, one per level 0..4, or empty: the generic scale then applies.
    level_descriptions = models.JSONField(_("niveaubeschrijvingen"), default=list, blank=True)
    # Question-bank format 3: the kind of statement, where it applies, and (for legal
    # duties and indicators) the article, unit and period. The defaults are what every
    # statement of formats 1 and 2 is: a maturity statement for all municipalities.
    kind = models.CharField(
        _("soort"), max_length=20, choices=QuestionKind.choices, default=QuestionKind.MATURITY
    )
    applies_to = models.CharField(
        _("geldt voor"), max_length=20, choices=Applicability.choices, default=Applicability.ALL
    )
    legal_basis = models.CharField(_("wettelijke grondslag"), max_length=300, blank=True)
    unit = models.CharField(_("eenheid"), max_length=60, blank=True)
    period = models.CharField(_("periode"), max_length=60, blank=True)
    # Domain codes of the partners (corporatie, zorgaanbieder, ervaring, politie, ggd) whose
    # module this statement belongs to, in the partner's own voice; empty: the municipality.
    partner_perspectives = models.JSONField(_("partnerperspectieven"), default=list, blank=True)

    class Meta:
        verbose_name = _("vraag")
        verbose_name_plural = _("vragen")
        ordering = ["framework", "order"]
        constraints = [
            models.UniqueConstraint(
                fields=["framework", "code"], name="readiness_question_unique_code"
            ),
            models.UniqueConstraint(
                fields=["framework", "key"],
                condition=~models.Q(key=""),
                name="readiness_question_unique_key",
            ),
            models.CheckConstraint(
                condition=models.Q(weight__gte=1, weight__lte=3),
                name="readiness_question_weight_1_to_3",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.statement[:60]}"

    @property
    def source_codes(self) -> list[str]:
        return [code.strip() for code in self.sources.split(",") if code.strip()]


class ActionTemplate(FrameworkContent):
    framework = models.ForeignKey(
        FrameworkVersion, on_delete=models.CASCADE, related_name="action_templates"
    )
    theme = models.ForeignKey(
        Theme, on_delete=models.CASCADE, related_name="action_templates", verbose_name=_("thema")
    )
    question = models.ForeignKey(
        Question,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="action_templates",
        verbose_name=_("vraag"),
        help_text=_("Leeg: de actie geldt voor alle vragen van het thema."),
    )
    # The codes of the statements it addresses (question-bank format 2), comma-separated
    # like ``Question.sources``: read with the template, no extra query. When set, the
    # template is proposed only for gaps on these; ``question`` and the theme binding
    # above are what format-1 versions use.
    question_codes = models.CharField(
        _("vragen"),
        max_length=300,
        blank=True,
        help_text=_("Codes van de vragen waar de actie bij hoort, gescheiden door komma's."),
    )
    code = models.CharField(_("code"), max_length=12)
    order = models.PositiveSmallIntegerField(_("volgorde"))
    title = models.CharField(_("titel"), max_length=200)
    description = models.TextField(_("omschrijving"))
    # Wording for a centrumgemeente or a regiogemeente; empty: ``description`` for both.
    description_centrumgemeente = models.TextField(_("omschrijving centrumgemeente"), blank=True)
    description_regiogemeente = models.TextField(_("omschrijving regiogemeente"), blank=True)
    done_when = models.TextField(_("klaar als"), blank=True)
    owner_role = models.CharField(_("eigenaar (rol)"), max_length=200, blank=True)
    owner_domain = models.CharField(_("domein eigenaar"), max_length=20, choices=Domain.choices)
    horizon_months = models.PositiveSmallIntegerField(_("termijn in maanden"))
    level = models.CharField(
        _("niveau"), max_length=12, choices=ActionLevel.choices, default=ActionLevel.AMBTELIJK
    )
    applies_to = models.CharField(
        _("geldt voor"), max_length=20, choices=Applicability.choices, default=Applicability.ALL
    )

    class Meta:
        verbose_name = _("actiesjabloon")
        verbose_name_plural = _("actiesjablonen")
        ordering = ["framework", "order"]
        constraints = [
            models.UniqueConstraint(
                fields=["framework", "code"], name="readiness_actiontemplate_unique_code"
            ),
            models.CheckConstraint(
                condition=models.Q(horizon_months__gte=1, horizon_months__lte=36),
                name="readiness_actiontemplate_horizon_1_to_36",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"

    @property
    def bound_question_codes(self) -> tuple[str, ...]:
        return tuple(code.strip() for code in self.question_codes.split(",") if code.strip())

    def description_for(self, region_role: str) -> str:
        """The description in the wording for a municipality's role in its region."""
        if region_role == RegionRole.CENTRUMGEMEENTE and self.description_centrumgemeente:
            return self.description_centrumgemeente
        if region_role == RegionRole.REGIOGEMEENTE and self.description_regiogemeente:
            return self.description_regiogemeente
        return self.description
