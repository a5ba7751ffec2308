"""A task for the crashed-worker test: it notes each start and each finish in a file."""

import os
import time

from django_tasks import task


@task()
def nap(seconds: float) -> str:
    marks = os.environ["SHEGONG_TEST_MARKS"]
    with open(marks, "a") as f:
        f.write("start\n")
    time.sleep(seconds)
    with open(marks, "a") as f:
        f.write("done\n")
    return "rested"
