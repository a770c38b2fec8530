"""Logging: structlog over the standard library, one JSON object per line in production
and readable lines under DEBUG (``LOG_FORMAT``). django-structlog binds a ``request_id``
(and the user's id, never a name) to every line of a request and to the Celery task it
queues, so a request can be followed into the worker.

Tracebacks are rendered without local variables: a frame's locals hold the request's
POST data (a note, a name), which must not reach a log (tests/privacy/test_logs.py).
"""

from __future__ import annotations

import structlog

SHARED_PROCESSORS = [
    structlog.contextvars.merge_contextvars,
    structlog.stdlib.add_logger_name,
    structlog.stdlib.add_log_level,
    structlog.processors.TimeStamper(fmt="iso", utc=True),
]


def json_formatter() -> structlog.stdlib.ProcessorFormatter:
    return _formatter(
        structlog.processors.ExceptionRenderer(
            structlog.tracebacks.ExceptionDictTransformer(show_locals=False)
        ),
        structlog.processors.JSONRenderer(ensure_ascii=False),
    )


def console_formatter() -> structlog.stdlib.ProcessorFormatter:
    return _formatter(
        structlog.dev.ConsoleRenderer(
            exception_formatter=structlog.dev.plain_traceback, colors=False
        )
    )


def _formatter(*renderers) -> structlog.stdlib.ProcessorFormatter:
    """Lines of structlog and of the standard library's loggers alike, rendered by
    ``renderers``."""
    return structlog.stdlib.ProcessorFormatter(
        foreign_pre_chain=SHARED_PROCESSORS,
        processors=[structlog.stdlib.ProcessorFormatter.remove_processors_meta, *renderers],
    )


def configure_structlog() -> None:
    """structlog's own loggers hand their events to the standard library's handlers, so
    one configuration (``LOGGING``) formats both."""
    structlog.configure(
        processors=[
            structlog.stdlib.filter_by_level,
            *SHARED_PROCESSORS,
            structlog.stdlib.PositionalArgumentsFormatter(),
            structlog.processors.StackInfoRenderer(),
            structlog.processors.UnicodeDecoder(),
            structlog.stdlib.ProcessorFormatter.wrap_for_formatter,
        ],
        logger_factory=structlog.stdlib.LoggerFactory(),
        wrapper_class=structlog.stdlib.BoundLogger,
        cache_logger_on_first_use=True,
    )
