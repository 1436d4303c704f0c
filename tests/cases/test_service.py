"""The rules of cases, as plain service calls."""

import datetime as dt

import pytest
import time_machine
from sqlalchemy import select

from network.audit.models import AuditEntry
from network.cases import listing, moderation, replies, service, social
from network.cases.jobs import send_case_reminders, send_notification_digests
from network.cases.models import CaseReminder
from network.db import db, utcnow
from network.errors import Conflict, DomainError, NotAllowed, NotFound
from network.notifications.models import Notification
from network.search.outbox import SearchOutbox
from tests.conftest import mail_parts, read_mails

START = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)


def notes(member) -> list[Notification]:
    return list(db.session.scalars(select(Notification).where(Notification.member_id == member.id)))


def outbox_ids() -> list[int]:
    return [
        row.object_id for row in db.session.scalars(select(SearchOutbox).where(SearchOutbox.kind == "case"))
    ]


# --- visibility and the author as seen -----------------------------------------------------


def test_a_draft_is_seen_only_by_its_author(factory, cases):
    author, other, coordinator = factory.member(), factory.member(), factory.coordinator()
    draft = cases.case(author, publish=False)
    assert service.can_view_case(author, draft)
    assert not service.can_view_case(other, draft)
    assert not service.can_view_case(coordinator, draft)
    assert not service.can_view_case(None, draft)
    with pytest.raises(NotFound):
        service.get_case(other, draft.id)


def test_a_hidden_case_is_seen_by_its_author_and_coordinators_only(factory, cases):
    author, other, coordinator = factory.member(), factory.member(), factory.coordinator()
    case = cases.case(author)
    moderation.set_hidden(coordinator, case, True)
    assert service.can_view_case(author, case)
    assert service.can_view_case(coordinator, case)
    assert not service.can_view_case(other, case)
    listed = listing.list_cases(other, listing.CaseFilters()).items
    assert case not in listed


def test_an_anonymous_author_is_a_placeholder_for_everyone_but_themselves(factory, cases):
    author = factory.member("Anne Anonym")
    other, coordinator = factory.member(), factory.coordinator()
    case = cases.case(author, visibility="anonymous")
    for viewer in (other, coordinator):
        seen = service.author_as_seen(viewer, case)
        assert seen.is_hidden and seen.member_id is None and seen.school_name is None
        assert "Anne" not in str(seen)
    own = service.author_as_seen(author, case)
    assert own.is_you and "Anne" not in own.name


def test_school_hidden_shows_the_name_without_the_school(factory, cases):
    school = factory.school("Hemmelig Skole")
    author = factory.member("Sara Skjult", school=school)
    case = cases.case(author, visibility="school_hidden")
    seen = service.author_as_seen(factory.member(), case)
    assert seen.name == "Sara Skjult" and seen.school_name is None


def test_the_case_giver_replying_to_an_anonymous_case_stays_anonymous(factory, cases):
    author = factory.member("Anne Anonym")
    case = cases.case(author, visibility="anonymous")
    reply = cases.reply(author, case, "Tak, det vil jeg tænke over.", kind="experience")
    seen = service.reply_author_as_seen(factory.member(), reply)
    assert "Anne" not in seen.name and seen.member_id is None


def test_a_coordinator_revealing_an_author_is_logged(factory, cases):
    author, coordinator = factory.member(), factory.coordinator()
    case = cases.case(author, visibility="anonymous")
    assert service.reveal_author(coordinator, case) == author
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "case.author_revealed"))
    assert entry.actor_id == coordinator.id and entry.subject_id == case.id
    with pytest.raises(NotAllowed):
        service.reveal_author(factory.member(), case)


# --- drafts, publishing, editing ---------------------------------------------------------


def test_a_draft_keeps_whatever_was_typed_and_publishing_needs_the_essentials(factory):
    author = factory.member()
    draft = service.save_draft(author, None, service.CaseFields(title="Halvfærdig"))
    assert draft.status == "draft" and draft.draft_saved_at is not None
    with pytest.raises(DomainError) as error:
        service.publish_case(author, draft, service.CaseFields())
    assert error.value.field == "problem"
    db.session.rollback()


def test_publishing_opens_the_case_follows_it_and_queues_it_for_search(factory):
    author = factory.member()
    case = service.publish_case(
        author,
        None,
        service.CaseFields(
            title="Lærerne vil ikke dele materialer", problem="Teamet deler ikke.", question="Hvordan?"
        ),
    )
    assert case.status == "open" and case.published_at is not None
    assert social.is_following(author, case)
    assert case.id in outbox_ids()  # queued in the same transaction, drained after the commit
    db.session.commit()
    assert outbox_ids() == []


def test_limits_are_enforced_with_a_field(factory):
    author = factory.member()
    with pytest.raises(DomainError) as error:
        service.save_draft(author, None, service.CaseFields(title="x" * 201))
    assert error.value.field == "title"
    with pytest.raises(DomainError) as error:
        service.save_draft(author, None, service.CaseFields(tags=",".join(f"t{i}" for i in range(11))))
    assert error.value.field == "tags"


def test_tags_are_normalised_once_each(factory):
    draft = service.save_draft(
        factory.member(), None, service.CaseFields(tags=" Fravær, #fravær ,  Team  Samarbejde")
    )
    assert list(draft.tags) == ["fravær", "team samarbejde"]


def test_only_the_author_edits_a_case(factory, cases):
    author, other = factory.member(), factory.member()
    case = cases.case(author)
    with pytest.raises(NotAllowed):
        service.update_case(other, case, service.CaseFields(title="Overtaget"))
    service.update_case(author, case, service.CaseFields(title="Ny titel"))
    assert case.title == "Ny titel"


# --- life of a case ------------------------------------------------------------------------


def test_closing_needs_a_learning_summary_and_tells_followers(factory, cases):
    author, follower = factory.member(), factory.member()
    case = cases.case(author)
    social.follow_case(follower, case)
    with pytest.raises(DomainError) as error:
        service.change_status(author, case, "closed", "  ")
    assert error.value.field == "learning_summary"
    service.change_status(author, case, "in_progress")
    service.change_status(author, case, "closed", "Vi fik en fælles mappe, og det virkede.")
    assert case.status == "closed" and case.closed_at is not None
    assert any("Lukket" in n.title for n in notes(follower))


def test_only_the_owner_changes_status(factory, cases):
    case = cases.case(factory.member())
    with pytest.raises(NotAllowed):
        service.change_status(factory.coordinator(), case, "in_progress")


# --- replies -----------------------------------------------------------------------------


def test_a_reply_needs_a_kind_and_text_and_not_a_closed_case(factory, cases):
    author, other = factory.member(), factory.member()
    case = cases.case(author)
    with pytest.raises(DomainError):
        replies.add_reply(other, case, kind="question", body="   ")
    with pytest.raises(DomainError):
        replies.add_reply(other, case, kind="rant", body="Noget")
    with pytest.raises(DomainError):
        replies.add_reply(other, case, kind="question", body="x" * 5001)
    service.change_status(author, case, "closed", "Løst.")
    with pytest.raises(service.CaseClosed):
        replies.add_reply(other, case, kind="question", body="For sent?")


def test_a_reply_tells_the_followers_without_naming_an_anonymous_author(factory, cases):
    author = factory.member("Anne Anonym")
    other = factory.member()
    case = cases.case(author, visibility="anonymous", title="Et svært dilemma")
    cases.reply(other, case)
    told = notes(author)
    assert len(told) == 1 and "Et svært dilemma" in told[0].title
    assert "Anne" not in told[0].title + told[0].body
    assert social.is_following(other, case)


def test_a_reply_is_edited_within_24_hours_with_history_kept(factory, cases):
    author, other = factory.member(), factory.member()
    with time_machine.travel(START, tick=False):
        case = cases.case(author)
        reply = cases.reply(other, case, "Første tanke")
    with time_machine.travel(START + dt.timedelta(hours=23), tick=False):
        replies.edit_reply(other, reply, kind="experience", body="Bedre tanke")
        assert reply.body == "Bedre tanke" and [r.body for r in reply.revisions] == ["Første tanke"]
        with pytest.raises(NotAllowed):
            replies.edit_reply(author, reply, kind="question", body="Ikke din")
    with (
        time_machine.travel(START + dt.timedelta(hours=25), tick=False),
        pytest.raises(replies.EditWindowClosed),
    ):
        replies.edit_reply(other, reply, kind="question", body="For sent")


def test_a_deleted_reply_is_soft_deleted_and_its_notifications_withdrawn(factory, cases):
    author, other = factory.member(), factory.member()
    case = cases.case(author)
    reply = cases.reply(other, case)
    assert notes(author)
    with pytest.raises(NotAllowed):
        replies.delete_reply(author, reply)
    replies.delete_reply(other, reply)
    assert reply.deleted_at is not None and not notes(author)
    assert replies.visible_replies(author, case) == []
    with pytest.raises(NotFound):
        replies.get_reply(author, reply.id)


def test_only_the_owner_marks_a_reply_helpful_and_its_author_is_told(factory, cases):
    author, other = factory.member(), factory.member()
    case = cases.case(author)
    reply = cases.reply(other, case)
    with pytest.raises(NotAllowed):
        replies.mark_helpful(other, reply)
    replies.mark_helpful(author, reply)
    assert reply.helpful_at is not None
    assert [n.kind for n in notes(other)] == ["case.helpful"]
    replies.mark_helpful(author, reply, helpful=False)
    assert reply.helpful_at is None


# --- following and notifications ---------------------------------------------------------


def test_following_twice_is_a_conflict_and_unfollowing_twice_not_found(factory, cases):
    member = factory.member()
    case = cases.case(factory.member())
    social.follow_case(member, case)
    with pytest.raises(Conflict):
        social.follow_case(member, case)
    social.unfollow_case(member, case)
    with pytest.raises(NotFound):
        social.unfollow_case(member, case)


def test_followers_of_a_tag_or_tool_hear_about_new_cases(factory, cases):
    tag_fan, tool_fan, author = factory.member(), factory.member(), factory.member()
    social.follow_topic(tag_fan, "tag", "Fravær")
    social.follow_topic(tool_fan, "tool", "language")
    with pytest.raises(Conflict):
        social.follow_topic(tag_fan, "tag", "fravær")
    with pytest.raises(DomainError):
        social.follow_topic(tool_fan, "tool", "hammer")
    cases.case(author, tags="fravær", tools=["language"], visibility="anonymous")
    assert [n.kind for n in notes(tag_fan)] == ["case.new"]
    assert [n.kind for n in notes(tool_fan)] == ["case.new"]
    assert notes(author) == []
    assert author.name not in notes(tag_fan)[0].title


def test_nobody_is_told_about_a_hidden_case_and_hiding_withdraws(factory, cases):
    author, follower, coordinator = factory.member(), factory.member(), factory.coordinator()
    case = cases.case(author)
    social.follow_case(follower, case)
    cases.reply(factory.member(), case)
    assert notes(follower)
    moderation.set_hidden(coordinator, case, True)
    assert notes(follower) == [] and notes(author) == []
    assert social.notify_followers(case, "case.status", "x") == 0


# --- matching peers ----------------------------------------------------------------------


def test_matching_prefers_other_schools_and_respects_private_fields(factory, cases):
    home = factory.school("Hjemskolen")
    author = factory.member(school=home)
    same_school = factory.member("Samme Skole", school=home)
    same_school.tools, same_school.focus_areas = ["leadership"], ["support_teachers"]
    away = factory.member("Anden Skole")
    away.tools = ["leadership"]
    secret = factory.member("Hemmelig Profil")
    secret.tools, secret.private_fields = ["leadership"], ["tools"]
    closed = factory.member("Ikke Åben", open_for_sparring=False)
    closed.tools = ["leadership"]
    for i in range(5):
        extra = factory.member(f"Ekstra {i}")
        extra.focus_areas = ["support_teachers"]
    db.session.commit()
    case = cases.case(author, tools=["leadership"], focus_areas=["support_teachers"])
    peers = social.suggest_peers(case)
    names = [p.name for p in peers]
    assert len(peers) == 5 and names[0] == "Anden Skole"
    assert "Samme Skole" not in names  # five from other schools came first
    assert "Hemmelig Profil" not in names and "Ikke Åben" not in names and author not in peers


def test_the_owner_invites_the_matches_in_one_click_once(factory, cases):
    author = factory.member()
    peer = factory.member()
    peer.tools = ["leadership"]
    db.session.commit()
    case = cases.case(author, tools=["leadership"])
    with pytest.raises(NotAllowed):
        social.invite_peers(peer, case)
    assert social.invite_peers(author, case) == [peer]
    assert social.invite_peers(author, case) == []
    assert [n.kind for n in notes(peer)] == ["case.invited"]


# --- moderation --------------------------------------------------------------------------


def test_flagging_once_then_coordinators_hide_and_restore_with_a_log(factory, cases):
    author, member, coordinator = factory.member(), factory.member(), factory.coordinator()
    case = cases.case(author)
    reply = cases.reply(author, case)
    moderation.flag(member, reply, "Upassende")
    with pytest.raises(Conflict):
        moderation.flag(member, reply, "Igen")
    with pytest.raises(DomainError):
        moderation.flag(member, case, "  ")
    with pytest.raises(NotAllowed):
        moderation.queue(member)
    assert len(moderation.queue(coordinator)) == 1
    with pytest.raises(NotAllowed):
        moderation.set_hidden(member, reply, True)
    moderation.set_hidden(coordinator, reply, True, "Personlige oplysninger")
    assert reply.is_hidden and moderation.queue(coordinator) == []
    assert replies.visible_replies(member, case) == []
    moderation.set_hidden(coordinator, reply, False)
    actions = list(db.session.scalars(select(AuditEntry.action).order_by(AuditEntry.id)))
    assert actions == ["reply.hidden", "reply.restored"]


# --- reminders and digests ---------------------------------------------------------------


def test_reminders_after_4_and_12_weeks_once_each(app, factory, cases):
    author = factory.member()
    with time_machine.travel(START, tick=False):
        cases.case(author)
    assert send_case_reminders(START + dt.timedelta(weeks=3)) == "Sager: 0 påmindelse(r) sendt."
    week4 = START + dt.timedelta(weeks=4, hours=1)
    with time_machine.travel(week4, tick=False):
        assert "1 påmindelse" in send_case_reminders(week4)
        db.session.commit()
        assert "0 påmindelse" in send_case_reminders(week4)
    assert len(read_mails(app)) == 1
    assert "Hvad skete der" in read_mails(app)[0]["Subject"]
    week12 = START + dt.timedelta(weeks=12, hours=1)
    with time_machine.travel(week12, tick=False):
        assert "1 påmindelse" in send_case_reminders(week12)
        assert "0 påmindelse" in send_case_reminders(week12)
    assert sorted(db.session.scalars(select(CaseReminder.weeks))) == [4, 12]
    assert [n.kind for n in notes(author)] == ["case.reminder", "case.reminder"]


def test_closed_cases_get_no_reminder(app, factory, cases):
    with time_machine.travel(START, tick=False):
        case = cases.case(factory.member())
        service.change_status(case.author, case, "closed", "Færdig.")
    assert "0 påmindelse" in send_case_reminders(START + dt.timedelta(weeks=5))


def test_daily_digest_collects_unmailed_notifications_once(app, factory, cases):
    reader = factory.member(email_frequency="daily")
    with time_machine.travel(START, tick=False):
        case = cases.case(factory.member())
        social.follow_case(reader, case)
        cases.reply(factory.member(), case, "Et spørgsmål")
        cases.reply(factory.member(), case, "Et spørgsmål mere")
        db.session.commit()
    assert read_mails(app) == [] or all(m["To"] != reader.email for m in read_mails(app))
    later = START + dt.timedelta(hours=2)
    assert "1 e-mail" in send_notification_digests(later)
    assert "0 e-mail" in send_notification_digests(later)
    digest = [m for m in read_mails(app) if m["To"] == reader.email]
    assert len(digest) == 1 and mail_parts(digest[0])[0].count("Nyt sparringssvar") == 2
    with time_machine.travel(later + dt.timedelta(hours=1), tick=False):
        cases.reply(factory.member(), case, "Et tredje")
    assert "0 e-mail" in send_notification_digests(later + dt.timedelta(hours=3))  # not a day yet
    assert "1 e-mail" in send_notification_digests(later + dt.timedelta(days=1))


# --- session outcomes --------------------------------------------------------------------


def test_a_session_outcome_is_saved_to_the_case(factory, cases):
    case = cases.case(factory.member())
    service.record_session_outcome(
        case,
        next_actions="Tal med teamet",
        learnings="Spørg før du råder",
        session_title="Torsdag",
        actor=None,
    )
    assert [o.next_actions for o in case.outcomes] == ["Tal med teamet"]
    assert utcnow() >= case.outcomes[0].created_at


def test_the_cron_commands_run_the_case_jobs_twice_safely(runner, factory, cases):
    with time_machine.travel(START, tick=False):
        cases.case(factory.member())
    with time_machine.travel(START + dt.timedelta(weeks=5), tick=False):
        assert "Sager: 1 påmindelse(r) sendt." in runner.invoke(args=["send-reminders"]).output
        assert "Sager: 0 påmindelse(r) sendt." in runner.invoke(args=["send-reminders"]).output
        assert "Overblik:" in runner.invoke(args=["send-digests"]).output


def test_reminders_link_to_the_case_from_cron_without_a_server_name(database_url, tmp_path):
    from tests.cases.conftest import CaseFactory
    from tests.conftest import make_test_app
    from tests.factories import Factory

    app = make_test_app(database_url, tmp_path, SERVER_NAME=None, BASE_URL="https://netvaerk.example")
    with app.app_context():
        with time_machine.travel(START, tick=False):
            case = CaseFactory().case(Factory().member())
        result = app.test_cli_runner().invoke(args=["send-reminders"])
        assert "1 påmindelse" in result.output, result.output
        assert f"https://netvaerk.example/sager/{case.id}" in mail_parts(read_mails(app)[-1])[0]
        db.session.remove()
        if database_url.startswith("postgresql"):
            db.drop_all()
        db.engine.dispose()


def test_coordinators_hear_about_a_flag_and_it_is_withdrawn_when_hidden(factory, cases):
    coordinator, member = factory.coordinator(), factory.member()
    case = cases.case(factory.member())
    moderation.flag(member, case, "Fortrolige oplysninger")
    assert [n.kind for n in notes(coordinator)] == ["case.flagged"]
    assert notes(member) == []
    moderation.set_hidden(coordinator, case, True)
    assert notes(coordinator) == []
