"""`network reindex`, `network index-check` and `network index-worker`."""

import os
import time

import click
from flask.cli import with_appcontext

from network.db import db
from network.search import service


@click.command("reindex")
@click.option(
    "--processes",
    type=click.IntRange(1, 32),
    default=lambda: os.cpu_count() or 1,
    show_default="the machine's cores",
    help="Processes that analyse text in parallel (Whoosh, from 1,000 documents).",
)
@with_appcontext
def reindex(processes: int) -> None:
    """Rebuild the search index from the database into a fresh folder and swap it in."""
    count = service.rebuild(processes=processes)
    click.echo(f"Søgeindekset er genopbygget: {count} dokumenter.")


@click.command("index-check")
@with_appcontext
def index_check() -> None:
    """Compare database and index (counts and ids); exit 1 when they differ."""
    in_step, report = service.index_check()
    click.echo(report)
    if not in_step:
        raise SystemExit(1)
    click.echo("Indekset stemmer med databasen.")


@click.command("index-worker")
@click.option("--interval", default=1.0, show_default=True, help="Seconds between looks at the outbox.")
@click.option("--once", is_flag=True, help="Drain what is there now, then stop.")
@with_appcontext
def index_worker(interval: float, once: bool) -> None:
    """Drain the search outbox continuously (for deployments with several processes)."""
    while True:
        done = service.drain_quietly(timeout=30.0)
        db.session.remove()
        if done:
            click.echo(f"Indekserede {done} ændringer.")
        if once:
            return
        time.sleep(interval)


COMMANDS = (reindex, index_check, index_worker)
