"""Scheduled jobs run from cron: `network send-reminders` and `network send-digests`.

Each feature registers its jobs here (a function taking the current time and returning a short
report). Every job must be safe to run twice: it records what it sent and never sends it again.
"""

import datetime as dt
import typing as t

Job = t.Callable[[dt.datetime], str]

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
