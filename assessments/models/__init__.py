"""The app's models, one module per feature; every model is re-exported here.

The app label, tables, migrations and history tables are those of the one app
``assessments``: only the code is split (docs/decisions/0006-feature-packages.md).
"""

from .api import ApiToken
from .municipalities import (
    Invitation,
    Membership,
    MembershipQuerySet,
    Municipality,
    MunicipalityQuerySet,
    current_membership,
)
from .plans import Action
from .regions import Region, RegionMembership
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
    NOTE_MAX_LENGTH,
    AgreedLevel,
    Answer,
    Assessment,
    AssessmentQuerySet,
    Response,
)

__all__ = [
    "NOTE_MAX_LENGTH",
    "Action",
    "AgreedLevel",
    "Answer",
    "ApiToken",
    "Assessment",
    "AssessmentQuerySet",
    "BatchExport",
    "BatchExportPart",
    "BatchExportQuerySet",
    "Invitation",
    "Membership",
    "MembershipQuerySet",
    "Municipality",
    "MunicipalityQuerySet",
    "Region",
    "RegionMembership",
    "Reminder",
    "ReminderOptOut",
    "ReportBranding",
    "ReportFile",
    "ReportFileQuerySet",
    "Response",
    "current_membership",
]
