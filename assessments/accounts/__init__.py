"""Login, two-factor, sessions and password rules."""
