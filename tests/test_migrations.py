"""The schema comes from Alembic migrations in every tier; they must match the models."""

import warnings

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade
from sqlalchemy import exc, inspect, text

from network.db import db
from tests.conftest import make_test_app


@pytest.fixture
def empty_app(database_url, tmp_path):
    app = make_test_app(database_url, tmp_path)
    with app.app_context():
        db.drop_all()
    yield app
    with app.app_context():
        db.session.remove()
        downgrade(revision="base")
        db.engine.dispose()


def schema_differences() -> list:
    with warnings.catch_warnings():
        # Expression indexes (lower(email)) cannot be reflected on SQLite; checked below instead.
        warnings.simplefilter("ignore", exc.SAWarning)
        warnings.simplefilter("ignore", UserWarning)
        with db.engine.connect() as connection:
            return compare_metadata(MigrationContext.configure(connection), db.metadata)


def test_upgrade_from_empty_matches_the_models_and_downgrades(empty_app):
    with empty_app.app_context():
        upgrade()
        diff = schema_differences()
        assert diff == [], f"models and migrations differ; run `network db migrate`: {diff}"
        assert "members" in inspect(db.engine).get_table_names()
        downgrade(revision="base")
        assert "members" not in inspect(db.engine).get_table_names()
        upgrade()


INSERT_MEMBER = text(
    "INSERT INTO members (email, name, password_hash, session_token, role, title, phone, bio,"
    " open_for_sparring, private_fields, is_active_member, is_demo, created_at)"
    " VALUES (:email, 'X', '', 't', 'member', '', '', '', true, '[]', true, false,"
    " CURRENT_TIMESTAMP)"
)


def test_migrated_schema_keeps_emails_unique_regardless_of_case(empty_app):
    insert = INSERT_MEMBER
    with empty_app.app_context():
        upgrade()
        db.session.execute(insert, {"email": "anna@skole.test"})
        db.session.commit()
        with pytest.raises(exc.IntegrityError):
            db.session.execute(insert, {"email": "ANNA@skole.test"})
            db.session.commit()
        db.session.rollback()
        db.session.execute(text("DELETE FROM members"))
        db.session.commit()


def test_migrated_schema_folds_unicode_letters_in_emails_and_school_names(empty_app):
    """Ø and ø alike on SQLite too (issue 14, finding 12): the unique indexes fold every letter."""
    member = INSERT_MEMBER
    school = text(
        "INSERT INTO schools (name, city, region, kind, is_demo, created_at)"
        " VALUES (:name, '', 'midtjylland', 'other', false, CURRENT_TIMESTAMP)"
    )
    with empty_app.app_context():
        upgrade()
        for statement, first, second in [
            (member, {"email": "øjvind@skole.test"}, {"email": "ØJVIND@skole.test"}),
            (school, {"name": "Ørsted Skole"}, {"name": "ØRSTED SKOLE"}),
        ]:
            db.session.execute(statement, first)
            db.session.commit()
            with pytest.raises(exc.IntegrityError):
                db.session.execute(statement, second)
                db.session.commit()
            db.session.rollback()
        db.session.execute(text("DELETE FROM members"))
        db.session.execute(text("DELETE FROM schools"))
        db.session.commit()
