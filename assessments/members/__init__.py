"""Memberships, invitations, consultants and the profile."""
