"""The Celery app: slow work (the PDF report) runs in a worker, not in a web request.

Settings come from ``config/settings.py`` (the ``CELERY_`` names). Without
``CELERY_BROKER_URL`` no broker and no worker are needed (``make run``, the tests): the
report and export tasks run in a background thread of the web process
(``assessments/common/background.py``, docs/decisions/0008), every other task in-process
when it is sent (``task_always_eager``). Start a worker with
``celery -A config worker`` (``make serve`` does; docs/deployment.md).
"""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("config")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
