"""case read state; notifications keep who, the reply kind, an excerpt and a translatable title

Revision ID: 0018
Revises: 0015
Create Date: 2026-11-30 13:15:00

"""
import sqlalchemy as sa
from alembic import op

from network.db import UTCDateTime

# revision identifiers, used by Alembic.
revision = '0018'
down_revision = '0015'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'case_reads',
        sa.Column('case_id', sa.Integer(), nullable=False),
        sa.Column('member_id', sa.Integer(), nullable=False),
        sa.Column('last_read_reply_id', sa.Integer(), nullable=False),
        sa.Column('read_at', UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['case_id'], ['cases.id'], ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['member_id'], ['members.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('case_id', 'member_id'),
    )
    op.create_index(op.f('ix_case_reads_member_id'), 'case_reads', ['member_id'], unique=False)
    with op.batch_alter_table('notifications') as batch:
        batch.add_column(sa.Column('title_msgid', sa.Text(), server_default='', nullable=False))
        batch.add_column(sa.Column('title_params', sa.JSON(), nullable=True))
        batch.add_column(sa.Column('actor_name', sa.String(length=120), server_default='', nullable=False))
        batch.add_column(sa.Column('reply_kind', sa.String(length=20), server_default='', nullable=False))
        batch.add_column(sa.Column('excerpt', sa.String(length=300), server_default='', nullable=False))


def downgrade():
    with op.batch_alter_table('notifications') as batch:
        batch.drop_column('excerpt')
        batch.drop_column('reply_kind')
        batch.drop_column('actor_name')
        batch.drop_column('title_params')
        batch.drop_column('title_msgid')
    op.drop_index(op.f('ix_case_reads_member_id'), table_name='case_reads')
    op.drop_table('case_reads')
