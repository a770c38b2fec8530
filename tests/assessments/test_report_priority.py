"""The PDF is rendered in a thread of lower CPU priority, so page requests go first."""

import os
import sys
import threading

import pytest

from assessments import report_views


@pytest.mark.skipif(sys.platform != "linux", reason="the nice value is per thread on Linux")
def test_the_pdf_renders_at_a_lower_priority_than_the_request(monkeypatch):
    seen = {}

    def fake_render(report):
        seen["thread"] = threading.get_native_id()
        seen["nice"] = os.getpriority(os.PRIO_PROCESS, threading.get_native_id())
        return b"%PDF-" + report

    monkeypatch.setattr(report_views, "render_pdf", fake_render)
    mine = os.getpriority(os.PRIO_PROCESS, threading.get_native_id())
    assert report_views.render_at_low_priority(b"x") == b"%PDF-x"
    assert seen["thread"] != threading.get_native_id()
    assert seen["nice"] == min(mine + report_views.RENDER_NICENESS, 19)
    # The request's own thread keeps its priority for the next request of this worker.
    assert os.getpriority(os.PRIO_PROCESS, threading.get_native_id()) == mine


def test_an_error_while_rendering_reaches_the_request(monkeypatch):
    def broken(report):
        raise ValueError("kapot")

    monkeypatch.setattr(report_views, "render_pdf", broken)
    with pytest.raises(ValueError, match="kapot"):
        report_views.render_at_low_priority(b"x")
