"""Shared building blocks: charts, downloads, background jobs, errors, health, the security log."""
