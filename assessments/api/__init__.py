"""The read-only JSON API for consultants' and regions' own tools (Excel, Power BI).

Every view loads its objects through ``assessments.access``, as the pages do: a token or a
session reads exactly what its user may read on the site. Personal tokens: ``ApiToken``.
"""
