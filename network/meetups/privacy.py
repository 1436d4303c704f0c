"""What the meetups feature holds about a member, for "Mine data" and account deletion."""

from sqlalchemy import delete, select, update

from network.db import db, utcnow
from network.meetups.models import CalendarFeed, Meetup, PollAnswer, ReminderSent, Rsvp, meetup_organisers
from network.meetups.service import promote_from_waitlist
from network.members.models import Member
from network.privacy.registry import Export, eraser, exporter
from network.search import outbox


@exporter("meetups")
def export_meetups(member: Member) -> Export:
    rsvps = db.session.scalars(select(Rsvp).where(Rsvp.member_id == member.id))
    organised = db.session.scalars(
        select(Meetup).join(meetup_organisers).where(meetup_organisers.c.member_id == member.id)
    )
    return Export(
        {
            "rsvps": [
                {
                    "meetup": r.meetup.title,
                    "answer": r.state,
                    "attended": r.attended,
                    "answered_at": r.created_at.isoformat(),
                }
                for r in rsvps
            ],
            "organiser_of": [m.title for m in organised],
            "poll_answers": len(
                list(db.session.scalars(select(PollAnswer).where(PollAnswer.member_id == member.id)))
            ),
            "calendar_feeds": len(
                list(db.session.scalars(select(CalendarFeed).where(CalendarFeed.member_id == member.id)))
            ),
        }
    )


@eraser("meetups")
def erase_meetups(member: Member, mode: str) -> None:
    """Answers, poll votes and feeds go; a freed place goes to the waitlist; meetups stay."""
    now = utcnow()
    freed = [
        r.meetup
        for r in db.session.scalars(select(Rsvp).where(Rsvp.member_id == member.id))
        if r.state == "going" and r.meetup.starts_at and r.meetup.starts_at > now
    ]
    db.session.execute(delete(Rsvp).where(Rsvp.member_id == member.id))
    db.session.execute(delete(PollAnswer).where(PollAnswer.member_id == member.id))
    db.session.execute(delete(CalendarFeed).where(CalendarFeed.member_id == member.id))
    db.session.execute(delete(ReminderSent).where(ReminderSent.member_id == member.id))
    for meetup_id in db.session.scalars(
        select(meetup_organisers.c.meetup_id).where(meetup_organisers.c.member_id == member.id)
    ):
        outbox.enqueue("meetup", meetup_id)
    db.session.execute(delete(meetup_organisers).where(meetup_organisers.c.member_id == member.id))
    db.session.execute(update(Meetup).where(Meetup.created_by_id == member.id).values(created_by_id=None))
    db.session.flush()
    for meetup in freed:
        promote_from_waitlist(meetup)
