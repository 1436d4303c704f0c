"""New and unread on cases: the list marks them, the case page jumps to the first unread reply,
and a notification says who did what and links to the exact reply, in the reader's language."""

import re

from network.cases import social
from network.cases.models import CaseRead
from network.db import db
from network.notifications.models import Notification
from tests.conftest import read_mails


def test_the_list_counts_new_replies_and_links_to_the_first_unread(client, auth, factory, cases):
    author, peer = factory.member(), factory.member()
    case = cases.case(author, title="Forældresamarbejde i udskolingen")
    auth.login(author)
    client.get(f"/sager/{case.id}")  # read, with no replies yet
    first = cases.reply(peer, case, body="Hvad siger forældrene selv?")
    cases.reply(peer, case, body="Og lærerne?")
    cases.reply(peer, case, body="Har du prøvet en fælles aften?")

    page = client.get("/sager/mine").get_data(as_text=True)
    assert "3 nye svar" in page
    assert f'href="/sager/{case.id}#svar-{first.id}"' in page

    detail = client.get(f"/sager/{case.id}").get_data(as_text=True)
    assert f'<a class="unread-jump" href="#svar-{first.id}">' in detail
    assert "3 nye svar" in detail
    assert "nye svar" not in client.get("/sager/mine").get_data(as_text=True)
    assert "unread-jump" not in client.get(f"/sager/{case.id}").get_data(as_text=True)


def test_ones_own_replies_are_never_new_and_a_case_never_opened_is_new(client, auth, factory, cases):
    author, viewer = factory.member(), factory.member()
    case = cases.case(author, title="Skemalægning på tværs af afdelinger")
    auth.login(author)
    client.get(f"/sager/{case.id}")
    cases.reply(author, case, body="Jeg tilføjer lidt kontekst.")
    assert "nyt svar" not in client.get("/sager/mine").get_data(as_text=True)
    auth.logout()
    auth.login(viewer)
    listing = client.get("/sager").get_data(as_text=True)
    assert re.search(r'badge-new">Ny</span>', listing)
    client.get(f"/sager/{case.id}")
    assert db.session.get(CaseRead, (case.id, viewer.id)) is not None
    assert not re.search(r'badge-new">Ny</span>', client.get("/sager").get_data(as_text=True))


def test_a_reply_notification_names_who_what_kind_an_excerpt_and_links_to_the_reply(
    client, auth, factory, cases
):
    author, peer = factory.member(), factory.member(name="Hanne Sparring")
    case = cases.case(author, title="Nye lærere føler sig alene")
    reply = cases.reply(
        peer, case, kind="experience", body="Hos os fik hver ny lærer en makker det første år."
    )
    note = db.session.scalars(db.select(Notification).where(Notification.member_id == author.id)).one()
    assert note.url == f"/sager/{case.id}#svar-{reply.id}"
    auth.login(author)
    page = client.get("/notifikationer").get_data(as_text=True)
    assert "Hanne Sparring" in page
    assert "En erfaring fra min egen praksis" in page
    assert "Hos os fik hver ny lærer en makker det første år." in page
    assert client.get(f"/notifikationer/{note.id}").headers["Location"] == f"/sager/{case.id}#svar-{reply.id}"


def test_the_case_giver_answering_an_anonymous_case_is_not_named(factory, cases):
    author, follower = factory.member(name="Skjult Leder"), factory.member()
    case = cases.case(author, title="Et svært personalemøde", visibility="anonymous")
    social.follow_case(follower, case)
    cases.reply(author, case, body="Tak, jeg prøver det.")
    note = db.session.scalars(db.select(Notification).where(Notification.member_id == follower.id)).one()
    assert note.actor_name == "" and "Skjult Leder" not in note.title


def test_a_notification_is_shown_and_mailed_in_the_readers_language_not_the_actors(
    app, client, auth, factory, cases
):
    author, english = factory.member(), factory.member(email="reader@skole.test", locale="en")
    case = cases.case(author, title="Trivsel i 7. klasse")
    social.follow_case(english, case)
    db.session.commit()
    with app.test_request_context(headers={"Accept-Language": "en"}):  # the actor reads English
        cases.reply(factory.member(), case, body="Hvad ser eleverne selv?")
    auth.login(author)
    assert "Nyt sparringssvar på sagen »Trivsel i 7. klasse«" in client.get("/notifikationer").get_data(
        as_text=True
    )
    mail = [m for m in read_mails(app) if m["To"] == "reader@skole.test"][-1]
    assert mail["Subject"] == "New reply to the case “Trivsel i 7. klasse”"
