"""Helpers shared by test modules (factories of one feature, PDF text, the browser tests).

Test modules import from here, never from each other or from a conftest.py: a test module
is collected by pytest, a helper is not. Fixtures stay in conftest.py.
"""
