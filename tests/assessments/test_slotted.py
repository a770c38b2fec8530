"""Pages joined from pieces rendered once (assessments/slotted.py) against the template path:
the same HTML for the site's frame and for the results page, in both languages."""

import re

import pytest
from django.contrib.messages.storage import default_storage
from django.contrib.sessions.backends.db import SessionStore
from django.shortcuts import render
from django.template import Context, Engine
from django.test import RequestFactory
from django.utils import translation
from django.utils.safestring import mark_safe

from assessments import access, questionnaire, slotted
from assessments.models import Assessment
from assessments.results_page import RESULTS_BODY, results_body_values, results_context
from assessments.services import AnswerInput, close_assessment, save_answers, set_perspective
from readiness.models import Question

TOKEN = re.compile(r'(name="csrfmiddlewaretoken" value="|"X-CSRFToken": ")[^"]+"')


def _same_tokens(html: str) -> str:
    """CSRF tokens are masked anew on every use: compare everything but their value."""
    return TOKEN.sub(r'\1TOKEN"', html)


def _request(user, path="/meting/1/resultaten/?x=<y>&z=1"):
    request = RequestFactory().get(path)
    request.user = user
    request.session = SessionStore()
    request._messages = default_storage(request)
    return request


@pytest.fixture
def round_with_everything(assessment, editor, second_editor):
    """Gaps, critical questions nobody knows, a difference of opinion, a perspective, and
    markup in the title."""
    questions = list(Question.objects.filter(framework=assessment.framework).order_by("order"))
    levels = ["0", "4", "weet_niet", "1", "nvt", "3", "", "2"]
    for user, shift in ((editor, 0), (second_editor, 3)):
        save_answers(
            assessment=assessment,
            user=user,
            items=[AnswerInput(q, levels[(i + shift) % 8], "") for i, q in enumerate(questions)],
        )
    set_perspective(assessment=assessment, user=editor, perspective="oov")
    Assessment.objects.filter(pk=assessment.pk).update(title='Meting <"A&B">')
    return assessment


def _bodies(request, assessment):
    """The slotted body twice (the second from the cache) and through the template engine."""
    loaded = access.get_assessment_for_view(request.user, assessment.pk)
    context = results_context(loaded)
    flags, slots = results_body_values(request, loaded, context, can_edit=access.can_edit(loaded))
    return (
        slotted.render_slotted(RESULTS_BODY, flags=flags, slots=slots),
        slotted.render_slotted(RESULTS_BODY, flags=flags, slots=slots),
        slotted.render_reference(RESULTS_BODY, flags=flags, slots=slots),
        context,
    )


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["nl", "en"])
@pytest.mark.parametrize("persona", ["editor", "viewer"])
@pytest.mark.parametrize("state", ["empty", "answered", "closed"])
def test_results_body_is_what_the_template_draws(
    request, assessment, coordinator, language, persona, state
):
    if state != "empty":
        request.getfixturevalue("round_with_everything")
    if state == "closed":
        close_assessment(assessment=assessment, user=coordinator)
    user = request.getfixturevalue(persona)
    with translation.override(language):
        fast, again, reference, context = _bodies(_request(user), assessment)
        assert fast == again == reference
        if state != "empty":
            assert "Meting &lt;&quot;A&amp;B&quot;&gt;" in fast and '<"A&B">' not in fast
            assert context["top_gaps"] and context["disagreements"]
            assert all(f'<h3 class="h6">{n}. ' in fast for n in (1, 2, 3))
            assert fast.count("<svg") == 4  # the radar and a bar chart per step
        if state == "closed":
            closed = Assessment.objects.get(pk=assessment.pk).closed_at
            date = Engine.get_default().from_string('{{ d|date:"j F Y" }}')
            assert date.render(Context({"d": closed})) in fast
        assert ("csrfmiddlewaretoken" in fast) == (persona == "editor" and state != "closed")


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["nl", "en"])
def test_the_frame_is_what_base_html_draws(editor, language, settings):
    settings.WOONPLAATSBEGINSEL_DATE = None
    editor.first_name, editor.last_name = "Anna <b>", "de Vries & Zn"
    body = mark_safe("<p>Inhoud</p>")
    with translation.override(language):
        for _ in range(2):  # the second from the cache
            fast = slotted.render_page(_request(editor), title='Titel <"x">', body=body)
            reference = render(
                _request(editor),
                slotted.PAGE_TEMPLATE,
                {"page_title": 'Titel <"x">', "page_body": body},
            )
            assert _same_tokens(fast.content.decode()) == _same_tokens(reference.content.decode())
    html = fast.content.decode()
    assert "Anna &lt;b&gt; de Vries &amp; Zn" in html
    assert "Titel &lt;&quot;x&quot;&gt; · " in html
    assert 'value="/meting/1/resultaten/?x=%3Cy%3E&amp;z=1"' in html


@pytest.mark.django_db
def test_a_message_is_shown_once_through_the_template_path(editor):
    request = _request(editor)
    request._messages.add(20, "Opgeslagen <ok>")
    first = slotted.render_page(request, title="T", body=mark_safe("")).content.decode()
    assert "Opgeslagen &lt;ok&gt;" in first
    assert request._messages.used  # shown: not shown again on the next page


@pytest.mark.django_db
def test_a_slot_the_template_does_not_know_cannot_slip_in():
    with pytest.raises(ValueError, match="no slot"):
        slotted.split_at_markers("a\x00unknown\x00b", {"known": ""}, "test")


@pytest.mark.django_db
def test_an_anonymous_frame_takes_the_template_path():
    from django.contrib.auth.models import AnonymousUser

    request = _request(AnonymousUser())
    html = slotted.render_page(request, title="T", body=mark_safe("<p>x</p>")).content.decode()
    assert "<p>x</p>" in html and "Uitloggen" not in html


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["nl", "en"])
@pytest.mark.parametrize("persona", ["editor", "viewer"])
@pytest.mark.parametrize("errors", [[], ["Fout <één>", "twee & drie"]])
def test_step_page_body_is_what_its_templates_draw(
    request, round_with_everything, monkeypatch, language, persona, errors
):
    user = request.getfixturevalue(persona)
    loaded = access.get_assessment_for_view(user, round_with_everything.pk)
    with translation.override(language):
        for step in ("wijkbasis", "samenwerking", "start_nu"):
            page = questionnaire.build_step_page(loaded, user, step, can_edit=persona == "editor")

            def body(page=page):
                return questionnaire.step_page_body(page, loaded, csrf_token="TOKEN", errors=errors)

            fast, again = body(), body()
            with monkeypatch.context() as patched:
                patched.setattr(questionnaire, "render_slotted", slotted.render_reference)
                reference = body()
            assert fast == again == reference
            assert "Meting &lt;&quot;A&amp;B&quot;&gt;" in fast
            assert fast.count('aria-current="page"') == 2  # breadcrumb and the step link
            assert ("Fout &lt;één&gt;" in fast) == bool(errors)
            assert ('type="submit"' in fast) == (persona == "editor")
