"""Scheduled jobs run from cron: `network send-reminders`, `network send-digests`, `network purge-old-data`.

Each feature registers its jobs here (a function taking the current time and returning a short
report). Every job must be safe to run twice and must survive one bad item: it records each item
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

REMINDER_JOBS: list[Job] = []
DIGEST_JOBS: list[Job] = []
RETENTION_JOBS: list[Job] = []


def reminder_job(job: Job) -> Job:
    """Register a job for `network send-reminders`."""
    REMINDER_JOBS.append(job)
    return job


def digest_job(job: Job) -> Job:
    """Register a job for `network send-digests`."""
    DIGEST_JOBS.append(job)
    return job


def retention_job(job: Job) -> Job:
    """Register a job for `network purge-old-data` (deleting data past its retention time)."""
    RETENTION_JOBS.append(job)
    return job


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
        except Exception:  # noqa: BLE001 - one bad item must not stop the others
            db.session.rollback()
            failed += 1
            log.exception("%s %r failed; skipped, it is tried again on the next run", what, item)
    return Tally(done, failed)
