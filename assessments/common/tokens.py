"""Secrets that are handed out once (invitation links, API tokens) are stored as a hash."""

import hashlib


def token_hash(token: str) -> str:
    """SHA-256 of a random token: the token is long and random, so no salt or stretching
    is needed, and an index on the hash finds the row in one lookup."""
    return hashlib.sha256(token.encode()).hexdigest()
