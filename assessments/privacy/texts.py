"""The default Dutch text of each statement, shown until staff store their own.

Written from the repository's facts: what the scan stores (docs/security.md, the processing
register) and what is tested for accessibility (docs/accessibility.md, its draft statement).
Markdown without HTML; ``{days}`` and the like are filled from the settings, so the
default never states a retention period the installation does not apply.
"""

from __future__ import annotations

from django.conf import settings

PRIVACY = """\
Deze verklaring gaat over de Gereedheidsscan beschermd thuis. Uw gemeente gebruikt de scan
om te meten hoe klaar zij is voor beschermd thuis, en om een actieplan te maken. Uw
gemeente is verantwoordelijk voor de gegevens (verwerkingsverantwoordelijke onder de AVG).

## Welke gegevens
- Van medewerkers van de gemeente en van adviseurs: naam, e-mailadres, de gemeente(n) en
  de rol, wanneer u voor het laatst inlogde.
- Wat u invult: uw antwoorden en toelichtingen, acties in het actieplan, en wie wat
  wanneer wijzigde (de historie).
- Voor de beveiliging: wanneer iemand inlogt of dat probeert, met het IP-adres.

De scan vraagt niet naar inwoners. Schrijf in een toelichting geen gegevens over
inwoners.

## Waarom
Om de scan te kunnen doen: inloggen, samen de vragen beantwoorden, uitnodigen, herinneren
per e-mail, en een rapport en actieplan maken. En om de applicatie te beveiligen. De
grondslag is de publieke taak van de gemeente.

## Hoe lang
- Een account dat {days} dagen niet is gebruikt, wordt geanonimiseerd: naam en
  e-mailadres worden gewist. De antwoorden blijven bewaard als "Invuller (perspectief)".
- Een uitnodiging wordt gewist zodra zij verlopen is.
- Een bestand met meerdere metingen (zip) wordt na 24 uur gewist; een conceptrapport na
  {file_days} dagen. Het definitieve rapport van een afgesloten meting blijft bewaard.
- Het beveiligingslog wordt bewaard zo lang als het logbeleid van de beheerder zegt.

## Wie de gegevens ziet
Alleen leden van uw gemeente, met de rechten van hun rol. Alleen coördinatoren zien wie
welke antwoorden gaf; anderen zien "Invuller 2 (Wonen)". Een adviseur ziet alleen wat de
coördinator toestaat, en niet langer dan de einddatum. De beheerder van de applicatie
(de verwerker) kan bij de gegevens om de applicatie te laten werken. Er gaan geen gegevens
naar andere partijen.

## Uw rechten
U mag vragen welke gegevens de scan over u heeft (inzage), en vragen om ze te verbeteren
of te wissen. Uw antwoorden blijven dan bewaard zonder uw naam. Neem daarvoor contact op
met de coördinator van uw gemeente of met de functionaris gegevensbescherming (FG) van uw
gemeente. Bent u het niet eens met hoe uw gegevens worden gebruikt? Dan kunt u een klacht
indienen bij de Autoriteit Persoonsgegevens.
"""

ACCESSIBILITY = """\
Wij willen dat iedereen de Gereedheidsscan beschermd thuis kan gebruiken, ook mensen met
een beperking. Deze verklaring gaat over deze webapplicatie en het pdf-rapport dat u
daarin kunt downloaden. De norm is WCAG 2.1 niveau A en AA.

## Status
**C: eerste maatregelen genomen.** De applicatie is nog niet volledig onderzocht door een
onafhankelijke deskundige. Wel testen we bij elke wijziging automatisch:

- alle pagina's met axe-core tegen de regels van WCAG 2.1 niveau A en AA, op een
  computerscherm en op een telefoon; er zijn geen bekende ernstige problemen;
- dat de hele vragenlijst met alleen het toetsenbord in te vullen is, met een zichtbare
  focus;
- dat pagina's bij 200% en 400% vergroting niet horizontaal scrollen (behalve brede
  tabellen, die binnen hun eigen kader scrollen);
- dat antwoorden ook zonder JavaScript worden opgeslagen, en dat u ziet wanneer een
  antwoord niet is opgeslagen;
- dat het stoplicht altijd ook in woorden en cijfers staat, niet alleen in kleur.

## Onderzoek
Datum van het laatste onderzoek: nog geen onderzoek door een deskundige. De automatische
tests draaien bij elke wijziging. Een onderzoek volgens WCAG-EM is gepland; daarna volgt
een nieuwe verklaring.

## Bekende beperkingen
- U wordt na een uur zonder activiteit uitgelogd, zonder waarschuwing vooraf. Wat u
  invulde, is dan al opgeslagen.
- Op een telefoon scrollen brede tabellen (zoals het actieplan) zijwaarts binnen hun
  kader.
- Het pdf-rapport is getagd (PDF/UA), maar nog niet door een deskundige gecontroleerd.

## Contact
Loopt u tegen een probleem aan? Neem contact op met de coördinator van uw gemeente, of met
de beheerder van deze applicatie. U krijgt binnen 5 werkdagen antwoord. Bent u niet
tevreden met het antwoord? Dan kunt u terecht bij de Nationale ombudsman.
"""


def default_body(kind: str) -> str:
    """The default Dutch Markdown of a statement kind (``Statement.Kind``)."""
    if kind == "privacy":
        return PRIVACY.format(
            days=settings.RETENTION_INACTIVE_DAYS, file_days=settings.RETENTION_FILE_DAYS
        )
    return ACCESSIBILITY
