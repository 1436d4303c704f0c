"""A new member's first run: the profile that makes matching work, and what to follow."""

from network.cases import social
from network.members import service as members
from network.members.models import Member


def complete_first_run(
    member: Member,
    *,
    tools: list[str],
    focus_areas: list[str],
    open_for_sparring: bool,
    follow_tools: list[str],
) -> None:
    """Save the matching fields of the member's profile and follow the chosen tools."""
    members.update_profile(
        member,
        member,
        members.ProfileChanges(tools=tools, focus_areas=focus_areas, open_for_sparring=open_for_sparring),
    )
    followed = {(f.kind, f.value) for f in social.followed_topics(member)}
    for tool in follow_tools:
        if ("tool", tool) not in followed:
            social.follow_topic(member, "tool", tool)
