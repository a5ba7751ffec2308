"""django-tasks-db's ``db_worker``, with a heartbeat and the recovery of lost tasks.

Same command, same options (``manage.py db_worker --help``): shegong.core is listed before
django_tasks_db in INSTALLED_APPS, so this one is found first and ``make demo``, the deploy
units and the tests all run it. See ``shegong.core.worker``.
"""

import os
import socket

from django.utils.crypto import get_random_string
from django_tasks_db.management.commands import db_worker

from shegong.core.worker import Heartbeat, worker_forget, worker_warm_up


class Command(db_worker.Command):
    help = db_worker.Command.help + " (with a heartbeat; tasks of lost workers run again)"

    def add_arguments(self, parser):
        super().add_arguments(parser)
        # Unique per process and readable in the admin: host, pid and a random suffix.
        host = socket.gethostname()[:32]
        parser.set_defaults(worker_id=f"{host}:{os.getpid()}:{get_random_string(8)}")

    def handle(self, *args, worker_id: str, **options):
        heartbeat = Heartbeat(worker_id)
        heartbeat.beat()
        heartbeat.start()
        if not options.get("batch"):  # a batch run ends with the queue: nothing to warm for
            worker_warm_up()
        try:
            return super().handle(*args, worker_id=worker_id, **options)
        finally:
            heartbeat.stop()
            heartbeat.join(timeout=5)
            worker_forget(worker_id=worker_id)
