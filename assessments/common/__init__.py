"""Shared building blocks: charts, downloads, errors, health, the security log."""
