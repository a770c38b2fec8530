"""Reminder rules and their e-mails."""
