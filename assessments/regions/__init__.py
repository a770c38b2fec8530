"""Regions, consent to share, the heat map and the regional PDF."""
