"""URLs of the scan, one list per feature. Every view loads its objects through
``assessments.access``; names and paths are listed in tests/test_urls.py."""

from assessments.members import urls as members
from assessments.partners import urls as partners
from assessments.plans import urls as plans
from assessments.privacy import urls as privacy
from assessments.regions import urls as regions
from assessments.reminders import urls as reminders
from assessments.reports import urls as reports
from assessments.rounds import urls as rounds

app_name = "assessments"

urlpatterns = [
    *rounds.urlpatterns,
    *reminders.urlpatterns,
    *members.urlpatterns,
    *reports.urlpatterns,
    *plans.urlpatterns,
    *regions.urlpatterns,
    *privacy.urlpatterns,
    *partners.urlpatterns,
]
