"""The privacy duties (AVG) of the scan: the public privacy and accessibility statements,
the retention job, a person's data on request (inzageverzoek) and their erasure.

docs/security.md holds the processing register entry these follow.
"""
