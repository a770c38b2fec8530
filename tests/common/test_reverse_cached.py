"""assessments.common.urls.reverse_cached: the same URL as reverse(), kept per process."""

from django.test import override_settings
from django.urls import clear_script_prefix, reverse, set_script_prefix

from assessments.common.urls import _reverse, reverse_cached


def test_gives_what_reverse_gives_and_keeps_it():
    _reverse.cache_clear()
    url = reverse_cached("assessments:answer", 12, 34)
    assert url == reverse("assessments:answer", args=[12, 34])
    assert reverse_cached("assessments:answer", 12, 34) == url
    assert _reverse.cache_info().hits == 1
    assert reverse_cached("assessments:answer", 12, 35) != url


def test_the_script_prefix_is_part_of_the_key():
    plain = reverse_cached("assessments:questionnaire", 5, "wijkbasis")
    set_script_prefix("/scan/")
    try:
        prefixed = reverse_cached("assessments:questionnaire", 5, "wijkbasis")
    finally:
        clear_script_prefix()
    assert prefixed == "/scan" + plain
    assert reverse_cached("assessments:questionnaire", 5, "wijkbasis") == plain


def test_a_new_urlconf_empties_it():
    reverse_cached("assessments:answer", 1, 2)
    assert _reverse.cache_info().currsize > 0
    with override_settings(ROOT_URLCONF="config.urls"):
        assert _reverse.cache_info().currsize == 0
