"""Fuzz tests: whatever a client sends, the app answers it without a server error."""
