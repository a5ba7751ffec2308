from io import StringIO

from django.core.management import call_command


def test_run_periodic_runs_every_apps_jobs_once(db):
    out = StringIO()

    call_command("run_periodic", "--now", "2023-03-22T09:00:00+08:00", stdout=out)

    lines = out.getvalue().splitlines()
    assert any(line.startswith("accounts: notification e-mails queued again: 0") for line in lines)
    assert any(line.startswith("helpdesk: escalated 0") for line in lines)


def test_run_periodic_rejects_a_bad_clock(db):
    err = StringIO()

    call_command("run_periodic", "--now", "yesterday", stdout=StringIO(), stderr=err)

    assert "not an ISO date-time" in err.getvalue()
