"""The ``network`` command: run, init-db, seed-demo, create-member, backup, restore."""

import os
import shutil
import sqlite3
import sys
from pathlib import Path

import click
from flask import Flask, current_app
from flask.cli import FlaskGroup, routes_command, shell_command, with_appcontext
from flask_migrate import upgrade
from sqlalchemy.engine import make_url

from network.db import db
from network.errors import DomainError


def _create_app() -> Flask:
    from network import create_app

    return create_app()


@click.group(cls=FlaskGroup, create_app=_create_app, add_default_commands=False, add_version_option=False)
def cli() -> None:
    """Manage Ledernetværket."""


# Flask's own `run` is replaced by ours (Socket.IO); keep `shell` and `routes`.
cli.add_command(shell_command)
cli.add_command(routes_command)


def register(app: Flask) -> None:
    """Attach the commands to the app, so ``flask --app wsgi`` has them too."""
    for command in (
        init_db,
        seed_demo,
        create_member,
        backup,
        restore,
        run_server,
        send_reminders,
        send_digests,
        purge_old_data,
    ):
        app.cli.add_command(command)


@click.command("run")
@click.option("--host", default=lambda: os.environ.get("HOST", "127.0.0.1"), show_default="127.0.0.1")
@click.option(
    "--port", type=int, default=lambda: int(os.environ.get("PORT", "5000")), show_default="PORT or 5000"
)
@click.option("--debug/--no-debug", default=False)
@with_appcontext
def run_server(host: str, port: int, debug: bool) -> None:
    """Serve the app with Socket.IO (development server, threading)."""
    from network.extensions import socketio

    click.echo(f"Ledernetværket kører på http://{host}:{port}")
    if not os.environ.get("NETWORK_BASE_URL"):
        # Links in mails point at this server (settle_base_url guessed PORT or 5000 at start-up).
        current_app.config["BASE_URL"] = f"http://{'127.0.0.1' if host == '0.0.0.0' else host}:{port}"  # noqa: S104
    # Flask refuses app.run() inside its CLI unless told this is deliberate; here it is.
    os.environ.pop("FLASK_RUN_FROM_CLI", None)
    socketio.run(
        current_app._get_current_object(),
        host=host,
        port=port,
        debug=debug,
        use_reloader=False,
        allow_unsafe_werkzeug=True,
    )


@click.command("init-db")
@with_appcontext
def init_db() -> None:
    """Create or upgrade the database schema to the newest migration."""
    upgrade()
    click.echo("Databasen er opdateret til nyeste version.")
    from network.search import service as search

    # A new installation gets an (empty) index at once, so search works before anything is written.
    search.drain()


@click.command("seed-demo")
@click.option("--if-empty", is_flag=True, help="Only seed when the database has no members yet.")
@with_appcontext
def seed_demo(if_empty: bool) -> None:
    """Load the demo network (safe to run again: nothing is duplicated)."""
    from network.demo import seed

    summary = seed(only_if_empty=if_empty)
    click.echo(summary)


@click.command("create-member")
@click.option("--email", required=True)
@click.option("--name", required=True)
@click.option("--school", "school_name", required=True, help="The school's name (created if new).")
@click.option(
    "--role", type=click.Choice(["member", "coordinator", "admin"]), default="member", show_default=True
)
@click.option(
    "--password", prompt=True, hide_input=True, confirmation_prompt=True, help="Prompted for when left out."
)
@with_appcontext
def create_member(email: str, name: str, school_name: str, role: str, password: str) -> None:
    """Add a member from the shell, e.g. the first coordinator."""
    from network.members import service
    from network.members.models import School

    school = service.find_school_by_name(school_name)
    if school is None:
        school = School(name=school_name.strip(), region="hovedstaden", kind="other")
        db.session.add(school)
        db.session.flush()
        click.echo(f"Ny skole oprettet: {school.name} (ret region og type på skolesiden).")
    try:
        member = service.create_member(
            email=email, name=name, school_id=school.id, role=role, password=password
        )
    except DomainError as error:
        db.session.rollback()
        raise click.ClickException(str(error.message)) from error
    db.session.commit()
    click.echo(f"Medlem oprettet: {member.name} <{member.email}> som {role}.")


def _sqlite_path() -> Path:
    url = make_url(current_app.config["SQLALCHEMY_DATABASE_URI"])
    if url.get_backend_name() != "sqlite" or not url.database:
        raise click.ClickException(
            "backup/restore gælder SQLite. Med PostgreSQL: "
            "pg_dump --format=custom --file=backup.dump DATABASE  og  "
            "pg_restore --clean --if-exists --dbname=DATABASE backup.dump  (se docs/operations.md)."
        )
    return Path(url.database)


@click.command("backup")
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
@with_appcontext
def backup(path: Path) -> None:
    """Copy the SQLite database to PATH while the app keeps running (online backup API)."""
    source_path = _sqlite_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(path.suffix + ".partial")
    with sqlite3.connect(source_path) as source, sqlite3.connect(tmp) as target:
        source.backup(target)
    tmp.replace(path)
    click.echo(f"Sikkerhedskopi gemt i {path}.")


@click.command("restore")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--yes", is_flag=True, help="Do not ask before replacing the database.")
@with_appcontext
def restore(path: Path, yes: bool) -> None:
    """Replace the SQLite database with the backup at PATH (stop the app first)."""
    target_path = _sqlite_path()
    with sqlite3.connect(path) as check:
        result = check.execute("PRAGMA integrity_check").fetchone()[0]
        tables = {r[0] for r in check.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    if result != "ok" or "members" not in tables:
        raise click.ClickException(f"{path} er ikke en gyldig sikkerhedskopi af Ledernetværket.")
    if not yes:
        click.confirm(f"Erstat {target_path} med {path}?", abort=True)
    db.engine.dispose()
    if target_path.exists():
        shutil.copy2(target_path, target_path.with_suffix(".before-restore"))
    with sqlite3.connect(path) as source, sqlite3.connect(target_path) as target:
        source.backup(target)
    click.echo(f"Databasen er gendannet fra {path}. Kør 'network reindex' når søgningen findes.")
    sys.stdout.flush()


def _run_jobs(jobs: list) -> None:
    """Run each job; one that fails is rolled back and reported, and the others still run."""
    from network.db import utcnow

    now = utcnow()
    crashed = []
    for job in jobs:
        try:
            report = job(now)
            db.session.commit()
        except Exception:  # noqa: BLE001 - the next job must still run; the exit code tells cron
            db.session.rollback()
            current_app.logger.exception("job %s failed", job.__name__)
            crashed.append(job.__name__)
            continue
        click.echo(report)
    if not jobs:
        click.echo("Ingen job er registreret.")
    if crashed:
        raise click.ClickException(f"Job fejlede (se loggen): {', '.join(crashed)}")


@click.command("send-reminders")
@with_appcontext
def send_reminders() -> None:
    """Send due reminders (follow-ups on cases, meetups); safe to run twice, e.g. hourly from cron."""
    from network import reminders

    _run_jobs(reminders.REMINDER_JOBS)


@click.command("send-digests")
@with_appcontext
def send_digests() -> None:
    """Send daily and weekly notification digests; safe to run twice, e.g. hourly from cron."""
    from network import reminders

    _run_jobs(reminders.DIGEST_JOBS)


@click.command("purge-old-data")
@with_appcontext
def purge_old_data() -> None:
    """Delete data older than its retention time (mail files, room messages); e.g. nightly."""
    from network import reminders

    _run_jobs(reminders.RETENTION_JOBS)
