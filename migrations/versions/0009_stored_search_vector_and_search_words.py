"""A stored, GIN-indexed search vector and a word list for the PostgreSQL search backend

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-22 16:00:00.000000

On PostgreSQL ``search_vector`` is a generated tsvector (title A, problem B, body C, reports D over
the folded text) with a GIN index; existing rows get their vector as the column is added. On SQLite,
which never searches with PostgreSQL and keeps these tables empty, the column is an always-NULL
generated TEXT, so the schema still matches the models (see network/search/models.py).
"""
from alembic import op
import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import TSVECTOR


# revision identifiers, used by Alembic.
revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None


def _folded(column):
    return f"replace(replace(replace(lower({column}), 'æ', 'ae'), 'ø', 'oe'), 'å', 'aa')"


# The same expression as network/search/models.py VECTOR_SQL at the time of this migration.
VECTOR_SQL = " || ".join(
    f"setweight(to_tsvector('danish'::regconfig, {_folded(column)}), '{weight}')"
    for column, weight in (("title", "A"), ("problem", "B"), ("body", "C"), ("attachment_text", "D"))
)


def upgrade():
    if op.get_bind().dialect.name == "postgresql":
        vector = sa.Computed(VECTOR_SQL, persisted=True)
        op.add_column('search_documents', sa.Column('search_vector', TSVECTOR(), vector, nullable=True))
        op.create_index(
            'ix_search_documents_search_vector', 'search_documents', ['search_vector'],
            unique=False, postgresql_using='gin',
        )
    else:
        # SQLite cannot ADD a stored generated column; the (empty) table is copied instead.
        with op.batch_alter_table('search_documents', schema=None) as batch_op:
            nothing = sa.Computed('NULL', persisted=True)
            batch_op.add_column(sa.Column('search_vector', sa.Text(), nothing, nullable=True))
            batch_op.create_index('ix_search_documents_search_vector', ['search_vector'], unique=False)

    op.create_table('search_words',
    sa.Column('word', sa.String(length=60), nullable=False),
    sa.PrimaryKeyConstraint('word', name=op.f('pk_search_words'))
    )


def downgrade():
    op.drop_table('search_words')
    with op.batch_alter_table('search_documents', schema=None) as batch_op:
        batch_op.drop_index('ix_search_documents_search_vector')
        batch_op.drop_column('search_vector')
