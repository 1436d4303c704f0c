"""The `network` command, run as an admin would."""

import sqlite3

import pytest

from network.db import db
from network.members import service


def test_create_member_makes_the_first_coordinator(runner, app):
    result = runner.invoke(
        args=[
            "create-member",
            "--email",
            "Karen@Skole.test",
            "--name",
            "Karen Holm",
            "--school",
            "Nyskolen",
            "--role",
            "coordinator",
            "--password",
            "kaffe og kridt på tavlen",
        ]
    )
    assert result.exit_code == 0, result.output
    with app.app_context():
        member = service.find_member_by_email("karen@skole.test")
        assert member.role == "coordinator" and member.school.name == "Nyskolen"
        assert service.check_password(member, "kaffe og kridt på tavlen")


def test_create_member_refuses_a_duplicate_and_a_weak_password(runner, factory):
    factory.member(email="karen@skole.test")
    base = ["create-member", "--name", "K", "--school", "S"]
    duplicate = runner.invoke(
        args=[*base, "--email", "KAREN@skole.test", "--password", "kaffe og kridt på tavlen"]
    )
    assert duplicate.exit_code != 0 and "allerede et medlem" in duplicate.output
    weak = runner.invoke(args=[*base, "--email", "ny@skole.test", "--password", "123456"])
    assert weak.exit_code != 0 and "mindst 10 tegn" in weak.output


def test_create_member_refuses_an_unknown_role(runner):
    result = runner.invoke(
        args=[
            "create-member",
            "--email",
            "x@skole.test",
            "--name",
            "X",
            "--school",
            "S",
            "--role",
            "king",
            "--password",
            "kaffe og kridt på tavlen",
        ]
    )
    assert result.exit_code == 2


def test_backup_and_restore_sqlite(runner, app, factory, tmp_path, database_url):
    if not database_url.startswith("sqlite"):
        pytest.skip("the online backup API is SQLite's; PostgreSQL uses pg_dump")
    factory.member("Før Backup")
    target = tmp_path / "backups" / "netvaerk.db"
    assert runner.invoke(args=["backup", str(target)]).exit_code == 0
    with sqlite3.connect(target) as copy:
        assert copy.execute("SELECT name FROM members").fetchall() == [("Før Backup",)]
    factory.member("Efter Backup")
    result = runner.invoke(args=["restore", str(target), "--yes"])
    assert result.exit_code == 0, result.output
    db.session.remove()
    with app.app_context():
        names = [m.name for m in db.session.scalars(db.select(service.Member))]
    assert names == ["Før Backup"]


def test_restore_refuses_a_file_that_is_not_a_backup(runner, tmp_path, database_url):
    if not database_url.startswith("sqlite"):
        pytest.skip("SQLite only")
    bogus = tmp_path / "bogus.db"
    bogus.write_bytes(b"not a database at all" * 100)
    result = runner.invoke(args=["restore", str(bogus), "--yes"])
    assert result.exit_code != 0


def test_backup_on_postgresql_says_what_to_run(runner, database_url, tmp_path):
    if database_url.startswith("sqlite"):
        pytest.skip("PostgreSQL only")
    result = runner.invoke(args=["backup", str(tmp_path / "x.db")])
    assert result.exit_code != 0 and "pg_dump" in result.output
