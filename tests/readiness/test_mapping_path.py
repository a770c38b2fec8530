"""A mapping through the versions between two versions (2026.1 -> 2027.1 -> 2027.2): a round
on 2026.1 hands its answers and its trend to a round on the newest version."""

from __future__ import annotations

import pytest

from readiness.questionbank import (
    QUESTIONBANK_DIR,
    QuestionBankError,
    find_bank,
    load_mapping,
    load_mapping_path,
)


def test_a_direct_mapping_is_the_file_itself():
    assert load_mapping_path("2026.1", "2027.1").keys == load_mapping("2026.1", "2027.1").keys


def test_two_steps_compose_through_the_version_between():
    first = load_mapping("2026.1", "2027.1").keys
    second = load_mapping("2027.1", "2027.2").keys
    composed = load_mapping_path("2026.1", "2027.2").keys
    assert set(composed) == set(first)  # every old question has an entry
    # By hand for each old question: its 2027.1 statements, found by key, then where those go.
    middle = find_bank(QUESTIONBANK_DIR, load_mapping("2026.1", "2027.1").name, "2027.1")
    code_of_key = {q.key: q.code for q in middle.questions}
    for code, keys in first.items():
        expected = {k for key in keys for k in second.get(code_of_key[key], ())}
        assert set(composed[code]) == expected
    assert sum(bool(keys) for keys in composed.values()) > len(composed) // 2


def test_no_path_is_an_error():
    with pytest.raises(QuestionBankError):
        load_mapping_path("2027.2", "2026.1")
