"""The Celery app: slow work (the PDF report) runs in a worker, not in a web request.

Settings come from ``config/settings.py`` (the ``CELERY_`` names). Without
``CELERY_BROKER_URL`` no broker and no worker are needed (``make run``, the tests): the
report and export tasks run in a background thread of the web process
(``assessments/common/background.py``, docs/decisions/0008), every other task in-process
when it is sent (``task_always_eager``). Start a worker with
``celery -A config worker`` (``make serve`` does; docs/deployment.md).
"""

import logging.config
import os

from celery import Celery
from celery.signals import setup_logging
from django_structlog.celery.steps import DjangoStructLogInitStep

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("config")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

# The worker logs like the web processes (config/logs.py), and each task's lines carry the
# request_id of the request that queued it (django-structlog's Celery support).
app.steps["worker"].add(DjangoStructLogInitStep)


@setup_logging.connect
def _use_django_logging(**kwargs) -> None:
    """Celery would replace the root logger's handlers with its own; use ``LOGGING``."""
    from django.conf import settings

    logging.config.dictConfig(settings.LOGGING)
