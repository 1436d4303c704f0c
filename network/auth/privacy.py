"""What the auth feature holds about a member: their API tokens and the invites to or from them."""

from sqlalchemy import delete, func, select, update

from network.auth.models import ApiToken, Invite
from network.db import db
from network.members.models import Member
from network.privacy.registry import Export, eraser, exporter


@exporter("api_tokens")
def export_api_tokens(member: Member) -> Export:
    """The member's API tokens: name, prefix and dates, never the secret (only its hash is kept)."""
    return Export(
        [
            {
                "name": token.name,
                "prefix": token.prefix,
                "created_at": token.created_at.isoformat(),
                "revoked": token.revoked_at is not None,
            }
            for token in db.session.scalars(select(ApiToken).where(ApiToken.member_id == member.id))
        ]
    )


@eraser("auth")
def erase_tokens_and_invites(member: Member, mode: str) -> None:
    """Tokens and invites to the member go; invites they sent stay, without their name."""
    db.session.execute(delete(ApiToken).where(ApiToken.member_id == member.id))
    db.session.execute(delete(Invite).where(func.lower(Invite.email) == member.email.lower()))
    db.session.execute(update(Invite).where(Invite.invited_by_id == member.id).values(invited_by_id=None))
