"""The national comparison per theme on the results page and in the report.

A frozen release (BENCHMARK_RELEASE_MIN_NEW_ROUNDS new municipalities per release), a
median from five other municipalities (BENCHMARK_MINIMUM_MUNICIPALITIES) and quartiles
from ten (BENCHMARK_MINIMUM_FOR_QUARTILES), rounded to steps of 5; each municipality by its
latest closed round on the same framework version in the release; the viewer's own
municipality never counts; no single municipality's figure is ever shown.
"""

import datetime
import random
import re

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from assessments.common.svg import display_score
from assessments.models import Assessment, Municipality
from assessments.reports.build import build_report
from assessments.reports.render import render_pdf
from assessments.rounds.benchmark import (
    ReleaseScores,
    _cache_key,
    _distributions,
    benchmark_for,
    release_scores,
)
from assessments.rounds.results import load_results
from assessments.rounds.services import (
    AnswerInput,
    close_assessment,
    reopen_assessment,
    save_answers,
)
from readiness.benchmark import Distribution
from readiness.models import Question
from tests.factories import AssessmentFactory, MunicipalityFactory, UserFactory, make_framework
from tests.helpers.benchmark import feasible, recovered
from tests.helpers.pdf import pdf_text


def answer_everything(assessment: Assessment, value: str) -> None:
    answer_each(assessment, lambda _question: value)


def answer_each(assessment: Assessment, value_for) -> None:
    user = UserFactory()
    questions = Question.objects.filter(framework=assessment.framework)
    save_answers(
        assessment=assessment,
        user=user,
        items=[AnswerInput(question=q, value=value_for(q), note="") for q in questions],
    )


def closed_round(framework, value: str, *, municipality: Municipality | None = None):
    """A closed round in which every statement has ``value``: every theme scores
    value × 25 (the weights cancel out)."""
    round_ = AssessmentFactory(
        municipality=municipality or MunicipalityFactory(), framework=framework
    )
    answer_everything(round_, value)
    close_assessment(assessment=round_, user=UserFactory())
    return round_


def section(html: str) -> str:
    """The text of the page's comparison section, without its tags."""
    part = html.split('id="vergelijking"')[1].split("</section>")[0]
    return re.sub(r"<[^>]*>", " ", part.split(">", 1)[1])


def closed_rounds(framework, *values: str) -> list[Assessment]:
    return [closed_round(framework, value) for value in values]


def table(html: str) -> list[list[str]]:
    """The comparison's rows on the results page, cell texts."""
    part = html.split('id="vergelijking"')[1].split("</section>")[0]
    return [
        [
            re.sub(r"<[^>]*>|\s+", " ", cell).strip()
            for cell in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row)
        ]
        for row in re.findall(r"<tr>(.*?)</tr>", part, flags=re.S)
    ]


@pytest.fixture
def own_round(assessment):
    answer_everything(assessment, "3")
    return assessment


@pytest.fixture
def release_per(settings):
    """Set how many new municipalities make a release (3 unless a test says otherwise)."""

    def set_to(rounds: int) -> None:
        settings.BENCHMARK_RELEASE_MIN_NEW_ROUNDS = rounds

    return set_to


@pytest.mark.django_db
def test_four_other_municipalities_give_no_figures(client, own_round, viewer, release_per):
    release_per(2)
    closed_rounds(own_round.framework, "1", "1", "2", "4")
    assert len(release_scores(own_round.framework_id).scores) == 4
    benchmark = benchmark_for(own_round, load_results(own_round))
    assert [row.distribution for row in benchmark.rows] == [None] * 8
    assert not benchmark.has_figures

    client.force_login(viewer)
    html = section(client.get(reverse("assessments:results", args=[own_round.pk])).text)
    assert "nog te weinig gemeenten voor een vergelijking" in html
    # The only numbers in the section are the rules (5, 10, a step of 5): no score,
    # median or count.
    assert set(re.findall(r"\d+", html)) == {"5", "10"}


@pytest.mark.django_db
def test_five_give_a_rounded_median_and_no_quartiles(client, own_round, viewer, release_per):
    release_per(5)
    # Scores 0, 25, 50, 75, 100 (levels 0..4): the median 50, quartiles only from ten.
    closed_rounds(own_round.framework, "4", "0", "2", "1", "3")
    benchmark = benchmark_for(own_round, load_results(own_round))
    assert [row.code for row in benchmark.rows] == list("AEBDFGCH")
    assert {row.distribution for row in benchmark.rows} == {Distribution(5, None, 50, None)}
    assert {row.own for row in benchmark.rows} == {75}

    client.force_login(viewer)
    html = section(client.get(reverse("assessments:results", args=[own_round.pk])).text)
    assert "nog te weinig" not in html
    assert " ".join(html.split()).count("75 50 pas vanaf 10 gemeenten 5") == 8


@pytest.mark.django_db
def test_ten_give_quartiles_with_the_release_date(client, own_round, viewer, release_per):
    release_per(5)
    rounds = closed_rounds(own_round.framework, *"0011223344")
    # 0, 0, 25, 25, 50, 50, 75, 75, 100, 100: positions 2.25, 4.5, 6.75 -> 25, 50, 75.
    benchmark = benchmark_for(own_round, load_results(own_round))
    assert {row.distribution for row in benchmark.rows} == {Distribution(10, 25, 50, 75)}
    assert benchmark.as_of == timezone.localdate(rounds[-1].closed_at)  # the date in NL

    client.force_login(viewer)
    html = section(client.get(reverse("assessments:results", args=[own_round.pk])).text)
    text = " ".join(html.split())
    assert text.count("75 50 25–75 10") == 8
    assert "Peildatum" in text and "minstens 5 gemeenten zijn afgesloten" in text


@pytest.mark.django_db
def test_the_viewers_own_round_is_left_out_of_its_comparison(
    own_round, coordinator, release_per, django_capture_on_commit_callbacks
):
    release_per(5)
    close_assessment(assessment=own_round, user=coordinator)  # all at level 3: 75
    closed_rounds(own_round.framework, "0", "0", "0", "0")
    # Five municipalities are in the release, but four are *other* ones.
    assert len(release_scores(own_round.framework_id).scores) == 5
    assert not benchmark_for(own_round, load_results(own_round)).has_figures

    with django_capture_on_commit_callbacks(execute=True):  # the cache is dropped on commit
        closed_rounds(own_round.framework, *"00000")
    rows = benchmark_for(own_round, load_results(own_round)).rows
    assert {row.distribution for row in rows} == {Distribution(9, None, 0, None)}


@pytest.mark.django_db
def test_only_the_latest_closed_round_of_the_same_version_counts(own_round, release_per):
    release_per(2)
    framework = own_round.framework
    others = closed_rounds(framework, "0", "0", "0", "0")
    # Not counted: an open round, a round on another version, a demo municipality.
    open_round = AssessmentFactory(framework=framework)
    answer_everything(open_round, "4")
    closed_round(make_framework(questions=16), "4")
    closed_round(framework, "4", municipality=MunicipalityFactory(is_demo=True))
    # Two of them close a newer round at level 4: a batch of two, so a release, in which
    # those count and their older rounds do not.
    closed_round(framework, "4", municipality=others[0].municipality)
    closed_round(framework, "4", municipality=others[1].municipality)

    scores = release_scores(framework.pk).scores
    assert sorted(s["A"] for s in scores.values()) == [0.0, 0.0, 100.0, 100.0]
    assert not benchmark_for(own_round, load_results(own_round)).has_figures


@pytest.mark.django_db
def test_one_more_round_changes_nothing_until_a_batch_is_complete(
    own_round, django_capture_on_commit_callbacks
):
    framework = own_round.framework
    with django_capture_on_commit_callbacks(execute=True):
        closed_rounds(framework, *"222222")
    first = benchmark_for(own_round, load_results(own_round))
    assert {row.distribution for row in first.rows} == {Distribution(6, None, 50, None)}

    with django_capture_on_commit_callbacks(execute=True):
        closed_rounds(framework, "4", "4")
    # Two new municipalities: the cache was dropped twice, the release is the same.
    assert benchmark_for(own_round, load_results(own_round)) == first
    cache.clear()  # lost cache, restart or another process: recomputed, the same
    assert benchmark_for(own_round, load_results(own_round)) == first

    with django_capture_on_commit_callbacks(execute=True):
        third = closed_round(framework, "4")
    rows = benchmark_for(own_round, load_results(own_round)).rows
    # 50 ×6, 100 ×3: the median is the fifth of nine, 50; the count shows the release.
    assert {row.distribution for row in rows} == {Distribution(9, None, 50, None)}

    # Reopening the round that completed the batch takes the release back to the previous
    # one (the release is a function of the closed rounds), not to a release of eight.
    with django_capture_on_commit_callbacks(execute=True):
        reopen_assessment(assessment=third, user=UserFactory(), reason="Nog een invuller")
    assert benchmark_for(own_round, load_results(own_round)) == first


@pytest.mark.django_db
def test_the_report_shows_the_comparison_only_with_enough_municipalities(
    own_round, release_per, django_capture_on_commit_callbacks
):
    release_per(2)
    closed_rounds(own_round.framework, "1", "1", "1", "4")
    report = build_report(own_round)
    assert report.benchmark is not None and not report.benchmark.has_figures
    _reader, pages = pdf_text(render_pdf(report))
    text = " ".join(" ".join(pages).split())
    part = text.split("Vergelijking met andere gemeenten")[2].split("Eerst uitzoeken")[0]
    assert "nog te weinig gemeenten voor een vergelijking" in part
    # No other municipality's score (25 or 100), nor a median or count, in the section.
    assert not {"25", "100", "4"} & set(re.findall(r"\d+", part))

    with django_capture_on_commit_callbacks(execute=True):
        closed_rounds(own_round.framework, "4", "4")
    report = build_report(own_round)
    # 25 ×3, 100 ×3: the median 62.5 is shown as 65; below ten, no quartiles.
    assert {row.distribution for row in report.benchmark.rows} == {Distribution(6, None, 65, None)}
    _reader, pages = pdf_text(render_pdf(report))
    part = " ".join(" ".join(pages).split()).split("Vergelijking met andere gemeenten")[2]
    part = part.split("Eerst uitzoeken")[0]
    assert "75 65 pas vanaf 10 gemeenten 6" in part
    assert "Peildatum" in part


# --- The differencing attack, played on the pages -------------------------------------


def realistic_round(framework, rng: random.Random, *, off_grid: bool = False) -> Assessment:
    """A closed round with levels as municipalities answer (mostly 1-3), on a version with
    three statements per theme, weighted 2, 3 and 1 (``make_framework(questions=24)``): a
    theme scores (2 × l1 + 3 × l2 + l3) / 24 × 100. ``off_grid``: no theme score is a
    multiple of 5 (a sum that is a multiple of 6), nor shows as one."""
    levels: dict[str, str] = {}
    for theme in "ABCDEFGH":
        while True:
            drawn = rng.choices(range(5), weights=(1, 3, 4, 3, 1), k=3)
            if not off_grid or (2 * drawn[0] + 3 * drawn[1] + drawn[2]) % 6:
                break
        levels |= {f"{theme}{i}": str(level) for i, level in enumerate(drawn, start=1)}
    round_ = AssessmentFactory(municipality=MunicipalityFactory(), framework=framework)
    answer_each(round_, lambda question: levels[question.code])
    close_assessment(assessment=round_, user=UserFactory())
    return round_


def theme_scores(round_: Assessment) -> dict[str, float]:
    round_.refresh_from_db()
    return {code: t["score"] for code, t in round_.snapshot["results"]["scores"]["themes"].items()}


@pytest.mark.django_db
def test_differencing_recovers_no_score_of_the_municipality_that_closes(
    client, municipality, viewer, django_capture_on_commit_callbacks
):
    """The attack of issue 20: read the comparison, let one more municipality close its
    round, read again and invert. Between releases the page does not change at all; once
    the release that takes the round in is out, even an attacker who knows every earlier
    contributor's exact scores (but not the other two of the batch) cannot pin any of the
    round's theme scores closer than ±5 points."""
    rng = random.Random(20)
    framework = make_framework(questions=24)
    own = AssessmentFactory(municipality=municipality, framework=framework)
    answer_everything(own, "2")
    url = reverse("assessments:results", args=[own.pk])
    client.force_login(viewer)
    with django_capture_on_commit_callbacks(execute=True):
        for _ in range(18):  # six releases of three
            realistic_round(framework, rng)
    known = release_scores(framework.pk).scores  # what the attacker, generously, knows
    assert len(known) == 18
    before = table(client.get(url).text)
    assert len(before) == 9 and all("–" in row[3] for row in before[1:])  # quartiles shown

    with django_capture_on_commit_callbacks(execute=True):
        target = realistic_round(framework, rng)
    assert table(client.get(url).text) == before  # the attack yields nothing

    with django_capture_on_commit_callbacks(execute=True):
        mates = [realistic_round(framework, rng) for _ in range(2)]
    after = benchmark_for(own, load_results(own))
    assert {row.count for row in after.rows} == {21}
    assert table(client.get(url).text) != before
    for row in after.rows:
        candidates = feasible(
            [scores[row.code] for scores in known.values()],
            row.distribution,
            unknown_others=2,
            truth=[theme_scores(r)[row.code] for r in (target, *mates)],
        )
        assert not recovered(candidates), (row.code, min(candidates), max(candidates))


@pytest.mark.django_db
@pytest.mark.parametrize("seed", range(3))
def test_with_exactly_five_no_shown_figure_is_a_contributors_score(
    client, municipality, viewer, release_per, seed
):
    """With the old rule the median of five was the third municipality's score. Now it is
    a multiple of 5: it can equal only a score that is itself one (or shows as one), and
    then says no more than that band; so the contributors here have no such score."""
    release_per(5)
    rng = random.Random(seed)
    framework = make_framework(questions=24)
    own = AssessmentFactory(municipality=municipality, framework=framework)
    answer_everything(own, "2")
    contributors = [theme_scores(realistic_round(framework, rng, off_grid=True)) for _ in range(5)]
    rows = benchmark_for(own, load_results(own)).rows
    assert {row.count for row in rows} == {5}
    for row in rows:
        assert row.lower_quartile is None and row.upper_quartile is None
        scores = {s[row.code] for s in contributors}
        # Neither a score itself nor as its municipality sees it (a whole number).
        assert row.median not in scores | {display_score(s) for s in scores}, row.code
    client.force_login(viewer)
    cells = table(client.get(reverse("assessments:results", args=[own.pk])).text)[1:]
    assert [cell[3] for cell in cells] == ["pas vanaf 10 gemeenten"] * 8


def test_the_kept_distributions_follow_the_releases_scores_not_only_its_cut():
    """The distributions are kept per process by the release: two releases with the same
    cut but other scores (a reopened round left it) are two keys."""
    cut = datetime.datetime(2027, 1, 1, tzinfo=datetime.UTC)

    def release(scores):
        return ReleaseScores(closed_at=cut, scores=scores, digest=ReleaseScores.digest_of(scores))

    before = release({pk: {"A": 50.0 + pk} for pk in range(1, 6)})
    after = release({pk: {"A": 80.0 + pk} for pk in range(1, 6)})
    assert before != after
    assert release(dict(before.scores)) == before
    assert _distributions(before, ("A",), 99, 5, 10)["A"].median == 55
    assert _distributions(after, ("A",), 99, 5, 10)["A"].median == 85
    # The viewing municipality is part of the key: its own score never counts.
    assert _distributions(before, ("A",), 5, 4, 10)["A"].median == 55
    assert _distributions(before, ("A",), 5, 4, 10)["A"].count == 4


@pytest.mark.django_db
def test_each_process_follows_the_release_named_in_the_shared_cache(framework):
    """A process keeps the release it read; when another node caches another release (or
    it is dropped), the next read follows the shared cache, not the kept copy."""
    from_database = release_scores(framework.pk)
    assert from_database.scores == {}
    scores = {7: {"A": 60.0}, 8: {"A": 70.0}}
    elsewhere = ReleaseScores(
        closed_at=datetime.datetime(2027, 2, 1, tzinfo=datetime.UTC),
        scores=scores,
        digest=ReleaseScores.digest_of(scores),
    )
    key = _cache_key(framework.pk)
    cache.set_many(
        {key: (elsewhere.closed_at, elsewhere.digest), f"{key}:{elsewhere.digest}": scores}
    )
    assert release_scores(framework.pk) == elsewhere
    assert release_scores(framework.pk).scores == scores
    cache.delete(key)  # a round closed or reopened somewhere: read from the database again
    assert release_scores(framework.pk) == from_database
    assert release_scores(framework.pk).scores == {}
