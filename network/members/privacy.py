"""What the members feature holds about a member, for "Mine data" and account deletion."""

from network.members import service
from network.members.models import PRIVATE_CAPABLE_FIELDS, Member
from network.privacy.registry import Export, eraser, exporter


@exporter("profile")
def export_profile(member: Member) -> Export:
    data = {
        "name": member.name,
        "email": member.email,
        "role": member.role,
        "school": member.school.name if member.school else None,
        **{field: getattr(member, field) for field in ("title", "phone", "bio", "open_for_sparring")},
        "education_areas": list(member.education_areas),
        "tools": list(member.tools),
        "focus_areas": list(member.focus_areas),
        "private_fields": list(member.private_fields or []),
        "email_frequency": member.email_frequency,
        "locale": member.locale,
        "created_at": member.created_at.isoformat(),
        "last_active_at": member.last_active_at.isoformat() if member.last_active_at else None,
    }
    files = {}
    if member.avatar_file:
        files["avatar.png"] = service.avatar_dir() / member.avatar_file
    return Export(data, files)


@eraser("profile")
def erase_profile(member: Member, mode: str) -> None:
    """The avatar file and the private lists (tokens, notifications, mail, audit: their own features)."""
    service.remove_avatar(member)
    for field in PRIVATE_CAPABLE_FIELDS:
        if field in ("tools", "focus_areas", "education_areas"):
            setattr(member, field, [])
