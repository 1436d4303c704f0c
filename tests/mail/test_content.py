"""Mail worth opening: text and HTML from templates, the content, a button to the exact anchor,
the member's language, and an unsubscribe link that works without signing in (RFC 8058).

Read from the .eml files the app writes (no NETWORK_MAIL_SERVER), parsed as a mail client would.
"""

import datetime as dt
import re
from email.message import EmailMessage

import pytest
import time_machine
from sqlalchemy import select

from network.auth import service as auth_service
from network.cases import social
from network.cases.jobs import send_case_reminders, send_notification_digests
from network.db import db
from network.mail import send_mail
from network.members.models import Member
from network.notifications.models import Notification
from network.rooms import service as rooms
from tests.conftest import mail_parts, make_test_app, read_mails
from tests.factories import Factory
from tests.rooms.conftest import make_room

START = dt.datetime(2026, 2, 2, 9, 0, tzinfo=dt.UTC)
HREF = re.compile(r'href="([^"]+)"')


def mails_to(app, member: Member) -> list[EmailMessage]:
    return [m for m in read_mails(app) if m["To"] == member.email]


def mention(author: Member, mentioned: Member, text: str = "Kan du hjælpe med skemaet?") -> int:
    """``author`` names ``mentioned`` in a room; returns the message id."""
    room = make_room(author, name="Sparring Syd")
    message, _created = rooms.post_message(author, room, f"@{mentioned.name} {text}", rooms.new_client_id())
    db.session.commit()
    return message.id


def unsubscribe_link(mail: EmailMessage) -> str:
    header = str(mail["List-Unsubscribe"])
    assert header.startswith("<") and header.endswith(">"), header
    return header[1:-1]


def test_every_mail_template_has_a_text_and_an_html_part(app):
    from pathlib import Path

    folder = Path(app.template_folder) / "mail"
    texts = {p.stem for p in folder.glob("*.txt") if not p.name.startswith("_")}
    htmls = {p.stem for p in folder.glob("*.html") if not p.name.startswith("_")}
    assert texts and texts == htmls


def test_the_mails_of_every_flow_are_multipart_alternative(ctx, factory):
    coordinator, member = factory.coordinator(), factory.member(email="leder@skole.test")
    auth_service.invite_members(coordinator, "ny@skole.test")
    auth_service.request_password_reset(member.email)
    mention(coordinator, member)
    db.session.commit()
    mails = read_mails(ctx)
    assert len(mails) == 3
    for mail in mails:
        assert mail.get_content_type() == "multipart/alternative", mail["Subject"]
        plain, html = mail_parts(mail)
        assert "<table" in html and "<" not in plain.replace("<http", "")  # the text part is plain
        assert "<img" not in html and "src=" not in html  # no images to fetch, nothing to block


def test_a_mention_mail_says_who_and_what_and_links_to_the_exact_message(ctx, factory):
    author, reader = factory.member("Anna Andersen"), factory.member("Bo Berg")
    message_id = mention(author, reader, "Kan du hjælpe med skemaet?")
    mail = mails_to(ctx, reader)[-1]
    assert mail["Subject"] == "Anna Andersen nævnte dig i Sparring Syd"
    plain, html = mail_parts(mail)
    anchor = f"#besked-{message_id}"
    link = next(line for line in plain.splitlines() if anchor in line).strip()
    assert link.startswith("http://netvaerk.test/rum/") and link.endswith(anchor)
    assert "Kan du hjælpe med skemaet?" in plain and "Kan du hjælpe med skemaet?" in html  # the excerpt
    assert link in HREF.findall(html)  # the button goes to the exact message
    assert "Åbn i Ledernetværket" in html


def test_a_reply_mail_links_where_the_notification_links(ctx, factory):
    from tests.cases.conftest import CaseFactory

    owner, follower, replier = factory.member(), factory.member(), factory.member("Rikke Replier")
    case = CaseFactory().case(owner)
    social.follow_case(follower, case)
    CaseFactory().reply(replier, case, body="Hvad har lærerne selv foreslået?")
    note = db.session.scalar(select(Notification).where(Notification.member_id == follower.id))
    plain, html = mail_parts(mails_to(ctx, follower)[-1])
    assert f"http://netvaerk.test{note.url}" in plain
    assert f"http://netvaerk.test{note.url}" in HREF.findall(html)


def test_mail_is_in_the_members_language(ctx, factory):
    author = factory.member("Anna Andersen")
    english, danish = factory.member("Emma English"), factory.member("Dorthe Dansk")
    english.locale = "en"
    db.session.commit()
    mention(author, english)
    mention(author, danish)
    en_plain, en_html = mail_parts(mails_to(ctx, english)[-1])
    da_plain, da_html = mail_parts(mails_to(ctx, danish)[-1])
    assert "Hi Emma English," in en_plain and "Open in Ledernetværket" in en_html and 'lang="en"' in en_html
    assert "Hej Dorthe Dansk," in da_plain and "Åbn i Ledernetværket" in da_html and 'lang="da"' in da_html


def test_a_subject_of_any_kind_gives_one_safe_header_and_the_mail_goes(ctx, factory):
    member = factory.member(email="leder@skole.test")
    subject = "Fravær\r\nBcc: alle@andre.test\r\n\tpå grundforløbet " + "x" * 400
    send_mail(member.email, subject, "password_reset", member=member, link="/x", minutes=5)
    db.session.commit()
    mail = read_mails(ctx)[-1]
    assert mail["Bcc"] is None
    assert str(mail["Subject"]).startswith("Fravær Bcc: alle@andre.test på grundforløbet x")
    assert len(str(mail["Subject"])) <= 200 and "\n" not in str(mail["Subject"])


# --- unsubscribing without signing in ------------------------------------------------------------


@pytest.fixture
def csrf_app(database_url, tmp_path):
    """CSRF on, as in production: the one-click POST must work without it, the choice form not."""
    return make_test_app(database_url, tmp_path, WTF_CSRF_ENABLED=True)


def test_one_click_unsubscribe_works_without_signing_in_and_only_with_the_token(csrf_app):
    with csrf_app.app_context():
        author, reader = Factory().member("Anna Andersen"), Factory().member("Bo Berg")
        db.session.commit()
        mention(author, reader)
        mail = mails_to(csrf_app, reader)[-1]
        assert mail["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
        link = unsubscribe_link(mail)
        plain, html = mail_parts(mail)
        assert link in plain and link in HREF.findall(html)  # the footer link is the same address
        path = link.removeprefix("http://netvaerk.test")
        client = csrf_app.test_client()

        page = client.get(path)
        assert page.status_code == 200 and "Afmeld" in page.text and "Bo Berg" in page.text
        assert client.get(path[:-3] + "xyz").status_code == 404  # a forged token opens nothing
        assert client.post(path[:-3] + "xyz", data={"List-Unsubscribe": "One-Click"}).status_code == 404
        db.session.refresh(reader)
        assert reader.email_frequency == "event"  # looking changes nothing

        # The mail client's POST: no session, no CSRF token, only the signed link.
        answer = csrf_app.test_client().post(path, data={"List-Unsubscribe": "One-Click"})
        assert answer.status_code == 200
        db.session.refresh(reader)
        assert reader.email_frequency == "never"
        before = len(mails_to(csrf_app, reader))
        mention(author, reader, "Endnu en besked")
        assert len(mails_to(csrf_app, reader)) == before  # no more mail; the bell still rings


def test_the_link_page_changes_the_choice_with_its_form(csrf_app):
    with csrf_app.app_context():
        author, reader = Factory().member("Anna Andersen"), Factory().member("Bo Berg")
        db.session.commit()
        mention(author, reader)
        path = unsubscribe_link(mails_to(csrf_app, reader)[-1]).removeprefix("http://netvaerk.test")
        choose = path.replace("/e-mail/afmeld/", "/e-mail/valg/")
        client = csrf_app.test_client()
        assert client.post(choose, data={"choice": "weekly"}).status_code == 400  # no CSRF token
        page = client.get(path).text
        token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
        answer = client.post(choose, data={"choice": "weekly", "csrf_token": token})
        assert answer.status_code == 303 and answer.headers["Location"].endswith(path)
        db.session.refresh(reader)
        assert reader.email_frequency == "weekly"
        assert "Dit valg er gemt." in client.get(path).text


def test_unsubscribing_from_reminders_stops_only_the_reminders(ctx, factory):
    from tests.cases.conftest import CaseFactory

    owner = factory.member("Olga Ejer")
    with time_machine.travel(START, tick=False):
        case = CaseFactory().case(owner)
    assert "1 påmindelse" in send_case_reminders(START + dt.timedelta(weeks=5))
    reminder = mails_to(ctx, owner)[-1]
    plain, html = mail_parts(reminder)
    form = f"http://netvaerk.test/sager/{case.id}#status-h"  # where the owner writes what happened
    assert form in plain and form in HREF.findall(html)
    path = unsubscribe_link(reminder).removeprefix("http://netvaerk.test")
    assert ctx.test_client().post(path, data={"List-Unsubscribe": "One-Click"}).status_code == 200
    db.session.refresh(owner)
    assert owner.mail_reminders is False and owner.email_frequency == "event"
    mailed = len(mails_to(ctx, owner))
    assert "1 påmindelse" in send_case_reminders(START + dt.timedelta(weeks=13))  # the bell still gets it
    assert len(mails_to(ctx, owner)) == mailed


def test_the_digest_is_one_mail_with_a_section_per_kind(ctx, factory):
    from tests.cases.conftest import CaseFactory

    reader = factory.member("Dagny Digest", email_frequency="daily")
    with time_machine.travel(START, tick=False):
        case = CaseFactory().case(factory.member())
        social.follow_case(reader, case)
        CaseFactory().reply(factory.member("Rikke Replier"), case, body="Hvem ejer problemet?")
        mention(factory.member("Anna Andersen"), reader, "Se skemaet")
    assert mails_to(ctx, reader) == []
    assert "1 e-mail" in send_notification_digests(START + dt.timedelta(hours=2))
    [digest] = mails_to(ctx, reader)
    plain, html = mail_parts(digest)
    for text in (plain, html):
        assert "Sager og svar" in text and "Rum" in text
        assert "Nyt sparringssvar" in text and "Se skemaet" in text  # what happened, and an excerpt
    assert f"http://netvaerk.test/sager/{case.id}" in " ".join(HREF.findall(html))
    assert "http://netvaerk.test/notifikationer" in HREF.findall(html)
    assert digest["List-Unsubscribe"] is not None
