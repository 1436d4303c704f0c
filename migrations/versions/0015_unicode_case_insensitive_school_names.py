"""school names unique regardless of case; lower() folds Unicode on SQLite

Revision ID: 0015
Revises: 0014
Create Date: 2026-11-30 12:30:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0015'
down_revision = '0014'
branch_labels = None
depends_on = None


def upgrade():
    bind = op.get_bind()
    if bind.dialect.name == "sqlite":
        # Our connections now give SQLite a lower() that folds every letter (network/db.py): the
        # index built with the built-in, ASCII-only lower() must be rebuilt with it.
        op.execute("REINDEX ix_members_email_lower")
    # Schools that differ only in case (possible until now) get their id appended, so the new
    # unique index can be built; a coordinator can then merge or rename them.
    seen: set[str] = set()
    for school_id, name in bind.execute(sa.text("SELECT id, name FROM schools ORDER BY id")).all():
        if name.lower() in seen:
            bind.execute(
                sa.text("UPDATE schools SET name = :name WHERE id = :id"),
                {"name": f"{name} ({school_id})", "id": school_id},
            )
        seen.add(name.lower())
    op.create_index('ix_schools_name_lower', 'schools', [sa.text('lower(name)')], unique=True)


def downgrade():
    op.drop_index('ix_schools_name_lower', table_name='schools')
