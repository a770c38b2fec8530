"""Error reports (Sentry, when SENTRY_DSN is set) carry no personal data."""

from __future__ import annotations

import json

from config.sentry import scrub_event, sentry_options

NOTE = "Geheime toelichting over de woonafspraken"
EMAIL = "annemarie.bloemendaal@zonnedal.nl"


def _event() -> dict:
    """An event as the SDK builds it for a failed answer save, at its most talkative."""
    return {
        "message": f"Opslaan mislukt voor {EMAIL}",
        "logentry": {"message": f"Opslaan mislukt voor {EMAIL}", "params": [NOTE]},
        "user": {"id": 7, "email": EMAIL, "username": EMAIL, "ip_address": "10.1.2.3"},
        "request": {
            "url": "https://scan.example/meting/1/antwoord/2/",
            "method": "POST",
            "data": {"q-2-note": NOTE},
            "query_string": f"email={EMAIL}",
            "cookies": {"sessionid": "abc"},
            "headers": {"Cookie": "sessionid=abc", "User-Agent": "Firefox", "X-Email": EMAIL},
            "env": {"REMOTE_ADDR": "10.1.2.3"},
        },
        "extra": {"note": NOTE},
        "server_name": "web-1",
        "exception": {
            "values": [
                {
                    "type": "IntegrityError",
                    "value": f"Key (email)=({EMAIL}) already exists.",
                    "stacktrace": {"frames": [{"function": "save_answer", "vars": {"note": NOTE}}]},
                }
            ]
        },
        "threads": {"values": [{"stacktrace": {"frames": [{"vars": {"note": NOTE}}]}}]},
        "breadcrumbs": {
            "values": [
                {"category": "query", "message": f"SELECT … '{EMAIL}'", "data": {"note": NOTE}}
            ]
        },
    }


def test_before_send_removes_names_emails_and_notes():
    scrubbed = scrub_event(_event(), {})
    text = json.dumps(scrubbed, ensure_ascii=False)

    assert NOTE not in text and EMAIL not in text and "10.1.2.3" not in text
    assert "sessionid" not in text
    assert scrubbed["user"] == {"id": 7}
    # What the operator needs to find the bug stays.
    assert scrubbed["exception"]["values"][0]["type"] == "IntegrityError"
    assert scrubbed["exception"]["values"][0]["stacktrace"]["frames"][0]["function"] == (
        "save_answer"
    )
    assert scrubbed["request"]["url"].endswith("/antwoord/2/")
    assert scrubbed["request"]["headers"] == {"User-Agent": "Firefox"}


def test_the_sdk_is_set_to_send_no_personal_data():
    options = sentry_options("https://key@errors.example/1", environment="productie")

    collection = options["data_collection"]  # sentry-sdk 3's successor of send_default_pii
    assert collection["user_info"] is False
    assert collection["stack_frame_variables"] is False
    assert collection["http_bodies"] == []
    assert collection["cookies"] == {"mode": "off"}
    assert options["max_request_body_size"] == "never"
    assert options["before_send"] is scrub_event
    assert options["environment"] == "productie"


def test_the_options_are_accepted_by_the_sdk():
    import sentry_sdk

    client = sentry_sdk.Client(**sentry_options("https://key@errors.example/1"))
    try:
        resolved = client.options["data_collection"]
        assert resolved["user_info"] is False and resolved["stack_frame_variables"] is False
        assert resolved["http_bodies"] == [] and resolved["cookies"]["mode"] == "off"
        assert client.options["before_send"] is scrub_event
    finally:
        client.close(timeout=0)


def test_a_captured_error_leaves_without_the_note_or_the_address():
    """Through the SDK itself (without its integrations, which would patch Django for the
    rest of the test run): what the transport gets has no local variables, no e-mail."""
    import sentry_sdk
    from sentry_sdk.transport import Transport

    sent: list[dict] = []

    class Recorder(Transport):
        def capture_envelope(self, envelope) -> None:
            sent.extend(item.payload.json for item in envelope.items if item.payload.json)

    options = {
        **sentry_options("https://key@errors.example/1"),
        "transport": Recorder,
        "default_integrations": False,
        "auto_enabling_integrations": False,
    }
    client = sentry_sdk.Client(**options)
    with sentry_sdk.isolation_scope() as scope:
        scope.set_client(client)
        try:
            note = NOTE  # a local of the frame that raises
            raise ValueError(f"Opslaan mislukt voor {EMAIL} ({len(note)} tekens)")
        except ValueError as exc:
            scope.set_user({"id": 7, "email": EMAIL})
            sentry_sdk.capture_exception(exc)
    client.flush(timeout=2)
    client.close(timeout=2)

    text = json.dumps(sent, ensure_ascii=False)
    assert "ValueError" in text  # the report itself was sent
    assert NOTE not in text and EMAIL not in text
