"""The app's models, one module per feature; every model is re-exported here.

The app label, tables, migrations and history tables are those of the one app
``assessments``: only the code is split (docs/decisions/0006-feature-packages.md).
"""

from .api import ApiToken
from .municipalities import (
    INVITATION_ROLE_CHOICES,
    REGION_COORDINATOR,
    Invitation,
    Membership,
    MembershipQuerySet,
    Municipality,
    MunicipalityQuerySet,
    current_membership,
)
from .partners import PARTNER_PERSPECTIVES, PartnerLink, PartnerLinkQuerySet
from .periods import period_end, period_last_day
from .plans import Action
from .privacy import Erasure, Statement
from .regions import Region, RegionInvitation, RegionInvitationQuerySet, RegionMembership
from .reminders import Reminder, ReminderOptOut
from .reports import (
    BatchExport,
    BatchExportPart,
    BatchExportQuerySet,
    ReportBranding,
    ReportFile,
    ReportFileQuerySet,
)
from .rounds import (
    ANSWER_VALUES,
    NOTE_MAX_LENGTH,
    AgreedLevel,
    Answer,
    Assessment,
    AssessmentQuerySet,
    Response,
)
from .sso import IdentityProviderDomain

__all__ = [
    "ANSWER_VALUES",
    "INVITATION_ROLE_CHOICES",
    "NOTE_MAX_LENGTH",
    "PARTNER_PERSPECTIVES",
    "REGION_COORDINATOR",
    "Action",
    "AgreedLevel",
    "Answer",
    "ApiToken",
    "Assessment",
    "AssessmentQuerySet",
    "BatchExport",
    "BatchExportPart",
    "BatchExportQuerySet",
    "Erasure",
    "IdentityProviderDomain",
    "Invitation",
    "Membership",
    "MembershipQuerySet",
    "Municipality",
    "MunicipalityQuerySet",
    "PartnerLink",
    "PartnerLinkQuerySet",
    "Region",
    "RegionInvitation",
    "RegionInvitationQuerySet",
    "RegionMembership",
    "Reminder",
    "ReminderOptOut",
    "ReportBranding",
    "ReportFile",
    "ReportFileQuerySet",
    "Response",
    "Statement",
    "current_membership",
    "period_end",
    "period_last_day",
]
