"""What the API returns: plain fields, codes next to labels (for tools that join on codes)."""

from __future__ import annotations

from rest_framework import serializers

from assessments.common.converters import MAX_ID
from assessments.models import Assessment, Municipality, Region


class MunicipalitySerializer(serializers.ModelSerializer):
    role = serializers.SerializerMethodField(help_text="Uw rol in deze gemeente.")

    class Meta:
        model = Municipality
        fields = ["id", "code", "name", "province", "role"]

    def get_role(self, municipality: Municipality) -> str:
        return self.context["roles"].get(municipality.pk, "")


class RoundSerializer(serializers.ModelSerializer):
    municipality_code = serializers.CharField(source="municipality.code")
    municipality_name = serializers.CharField(source="municipality.name")
    framework_version = serializers.CharField(source="framework.version")

    class Meta:
        model = Assessment
        fields = [
            "id",
            "municipality",
            "municipality_code",
            "municipality_name",
            "title",
            "status",
            "framework_version",
            "created_at",
            "closed_at",
            "due_date",
            "targets",
        ]


class GroupScoreSerializer(serializers.Serializer):
    code = serializers.CharField()
    title = serializers.CharField()
    step = serializers.CharField(allow_blank=True)
    score = serializers.FloatField(allow_null=True, help_text="0–100; leeg zonder antwoorden.")
    is_sufficient = serializers.BooleanField(help_text="Genoeg stellingen beantwoord.")
    coverage = serializers.FloatField(allow_null=True)
    light = serializers.CharField(allow_null=True)
    target = serializers.IntegerField(allow_null=True)


class ScoresSerializer(serializers.Serializer):
    round = serializers.IntegerField()
    overall = GroupScoreSerializer()
    steps = GroupScoreSerializer(many=True)
    themes = GroupScoreSerializer(many=True)


class LegalDutySerializer(serializers.Serializer):
    code = serializers.CharField()
    statement = serializers.CharField()
    legal_basis = serializers.CharField(allow_blank=True, help_text="Het wetsartikel.")
    applies_to = serializers.ChoiceField(
        choices=["all", "centrumgemeente", "regiogemeente"],
        help_text="Voor wie de plicht geldt; voor de andere rol is hij n.v.t.",
    )
    state = serializers.ChoiceField(
        choices=["voldaan", "deels", "niet", "nvt", "empty"],
        help_text="Het laagste antwoord dat telt; nvt: niet van toepassing; empty: geen antwoord.",
    )
    answers = serializers.ListField(
        child=serializers.ChoiceField(choices=["voldaan", "deels", "niet"]),
        allow_null=True,
        help_text="De gegeven antwoorden, laagste eerst, zonder namen; null voor wie ze nog "
        "niet mag zien (een invuller van een open meting die de plicht zelf nog niet "
        "beantwoordde).",
    )


class LegalDutiesSerializer(serializers.Serializer):
    round = serializers.IntegerField()
    met = serializers.IntegerField(help_text="Aantal plichten voldaan.")
    applicable = serializers.IntegerField(help_text="Aantal plichten dat geldt (n.v.t. niet).")
    duties = LegalDutySerializer(many=True)


class IndicatorSerializer(serializers.Serializer):
    code = serializers.CharField()
    statement = serializers.CharField()
    unit = serializers.CharField(allow_blank=True)
    period = serializers.CharField(allow_blank=True)
    value = serializers.CharField(
        allow_null=True,
        help_text="De middelste waarde (de lagere bij een even aantal) als tekst met een "
        'punt ("12.5"); leeg zonder getal. Nooit een score.',
    )
    values = serializers.ListField(
        child=serializers.CharField(),
        allow_null=True,
        help_text="Alle gegeven getallen, laagste eerst; null voor wie ze nog niet mag zien "
        "(een invuller van een open meting die de indicator zelf nog niet invulde).",
    )
    differs = serializers.BooleanField(help_text="Invullers gaven verschillende getallen.")


class IndicatorsSerializer(serializers.Serializer):
    round = serializers.IntegerField()
    indicators = IndicatorSerializer(many=True)


class ActionSerializer(serializers.Serializer):
    title = serializers.CharField()
    description = serializers.CharField()
    question_codes = serializers.ListField(child=serializers.CharField())
    owner = serializers.CharField()
    owner_domain = serializers.CharField(source="owner_domain_code")
    start_date = serializers.DateField(allow_null=True)
    due_date = serializers.DateField(allow_null=True)
    status = serializers.CharField(source="status_code")
    level = serializers.CharField(source="level_code")
    priority = serializers.IntegerField()
    done_when = serializers.CharField()


class RoundFilterSerializer(serializers.Serializer):
    """The rounds list's query parameters: a value that is no whole number or no status is
    a 400 with the reason, not ignored and not a server error."""

    gemeente = serializers.IntegerField(
        required=False,
        min_value=1,
        max_value=MAX_ID,
        help_text="Alleen de metingen van deze gemeente.",
    )
    status = serializers.ChoiceField(choices=Assessment.Status.choices, required=False)


class RegionSerializer(serializers.ModelSerializer):
    # A region need not have a lead municipality (the field is optional).
    lead_code = serializers.CharField(source="lead.code", allow_null=True, read_only=True)

    class Meta:
        model = Region
        fields = ["id", "name", "kind", "lead_code"]


class HeatCellSerializer(serializers.Serializer):
    score = serializers.IntegerField(allow_null=True, help_text="Leeg: onvoldoende beantwoord.")
    light = serializers.CharField(allow_blank=True)


class HeatRowSerializer(serializers.Serializer):
    municipality = serializers.CharField()
    is_lead = serializers.BooleanField()
    shares = serializers.BooleanField(help_text="Onwaar: deelt niet; dan zijn er geen cellen.")
    round_title = serializers.CharField(allow_blank=True)
    closed_on = serializers.DateField(allow_null=True)
    cells = HeatCellSerializer(many=True, allow_null=True)


class ThemeColumnSerializer(serializers.Serializer):
    code = serializers.CharField()
    title = serializers.CharField()
    median = serializers.IntegerField(allow_null=True)
    median_light = serializers.CharField(allow_blank=True)


class HeatmapSerializer(serializers.Serializer):
    region_id = serializers.IntegerField()
    name = serializers.CharField()
    kind = serializers.CharField()
    date = serializers.DateField()
    themes = ThemeColumnSerializer(many=True)
    rows = HeatRowSerializer(many=True)
