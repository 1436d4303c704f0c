"""Scheduled jobs and their one runner: `network send-reminders`, `send-digests`, `purge-old-data`.

Each feature registers its jobs here for a schedule (a function taking the current time and
returning a short report); the cron command of that schedule runs every job registered for it.
Every job must be safe to run twice and must survive one bad item: it records each item
it has done in that item's own transaction (``each_item``), so a failing item is logged and skipped,
tried again on the next run, and never makes the job repeat the items done before it.
"""

import datetime as dt
import logging
import typing as t

from network.db import db

log = logging.getLogger(__name__)

Job = t.Callable[[dt.datetime], str]
Item = t.TypeVar("Item")

# Schedule -> its jobs, in registration order. The cron command of each is in network/cli.py.
JOBS: dict[str, list[Job]] = {"reminders": [], "digests": [], "retention": []}
REMINDER_JOBS, DIGEST_JOBS, RETENTION_JOBS = JOBS["reminders"], JOBS["digests"], JOBS["retention"]


def scheduled(schedule: str) -> t.Callable[[Job], Job]:
    """Register a job for one schedule."""

    def register(job: Job) -> Job:
        JOBS[schedule].append(job)
        return job

    return register


reminder_job = scheduled("reminders")  # `network send-reminders`, e.g. hourly
digest_job = scheduled("digests")  # `network send-digests`, e.g. hourly
retention_job = scheduled("retention")  # `network purge-old-data`: data past its retention time, nightly


class Run(t.NamedTuple):
    reports: list[str]
    crashed: list[str]  # the names of the jobs that failed


def run(schedule: str, now: dt.datetime) -> Run:
    """Run each job of the schedule; one that fails is rolled back and logged, and the others still run."""
    reports, crashed = [], []
    for job in JOBS[schedule]:
        try:
            reports.append(job(now))
            db.session.commit()
        except Exception:  # the next job must still run; the caller tells cron
            db.session.rollback()
            log.exception("job %s failed", job.__name__)
            crashed.append(job.__name__)
    return Run(reports, crashed)


class Tally(t.NamedTuple):
    done: int
    failed: int

    def report(self, template: str) -> str:
        """The job's report line: ``template`` with {done} filled in, plus the failures if any."""
        line = template.format(done=self.done)
        return line + (f" {self.failed} fejlede (prøves igen ved næste kørsel)." if self.failed else "")


def each_item(items: t.Iterable[Item], handle: t.Callable[[Item], bool], *, what: str) -> Tally:
    """Handle each item in its own transaction: committed when done, rolled back and logged when it fails.

    ``handle`` returns whether it did something (sent a mail, deleted a file). It must record what
    it did in the database within its transaction, so the next run skips it; the mails it queues
    are committed with that record (the outbox), so a record never exists without its mail.
    """
    done = failed = 0
    for item in items:
        try:
            if handle(item):
                done += 1
            db.session.commit()
        except Exception:  # one bad item must not stop the others
            db.session.rollback()
            failed += 1
            log.exception("%s %r failed; skipped, it is tried again on the next run", what, item)
    return Tally(done, failed)
