from network.db import db
from network.notifications import service
from tests.conftest import read_mails


def test_notify_adds_to_the_bell_and_mails_when_the_member_wants_each_event(factory, app):
    member = factory.member(email="leder@skole.test")
    service.notify(member, "test", "Nyt svar på din sag", url="/sager/1")
    db.session.commit()
    assert service.unread_count(member) == 1
    mail = read_mails(app)[-1]
    assert mail["To"] == "leder@skole.test" and mail["Subject"] == "Nyt svar på din sag"
    assert "http://netvaerk.test/sager/1" in mail.get_body().get_content()


def test_no_mail_when_the_member_chose_a_digest_or_none(factory, app):
    for frequency in ("daily", "weekly", "never"):
        member = factory.member(email_frequency=frequency)
        service.notify(member, "test", "Stille besked")
    assert read_mails(app) == []


def test_bell_page_and_marking_read(client, auth, factory):
    member = factory.member()
    note = service.notify(member, "test", "Du er nævnt i et rum", url="/medlemmer", email=False)
    db.session.commit()
    auth.login(member)
    page = client.get("/").get_data(as_text=True)
    assert 'class="count">1' in page
    assert "Du er nævnt i et rum" in client.get("/notifikationer").get_data(as_text=True)
    response = client.get(f"/notifikationer/{note.id}")
    assert response.headers["Location"] == "/medlemmer"
    assert service.unread_count(member) == 0


def test_members_only_see_and_open_their_own_notifications(client, auth, factory):
    owner, other = factory.member(), factory.member()
    note = service.notify(owner, "test", "Privat besked til ejeren", email=False)
    db.session.commit()
    auth.login(other)
    assert "Privat besked til ejeren" not in client.get("/notifikationer").get_data(as_text=True)
    assert client.get(f"/notifikationer/{note.id}").status_code == 404
    assert client.get("/notifikationer").status_code == 200
    auth.logout()
    assert client.get("/notifikationer").status_code == 302


def test_mark_all_read(client, auth, factory):
    member = factory.member()
    for n in range(3):
        service.notify(member, "test", f"Besked {n}", email=False)
    db.session.commit()
    auth.login(member)
    assert client.post("/notifikationer/laest").status_code == 302
    assert service.unread_count(member) == 0


def test_withdraw_removes_notifications_about_hidden_content(factory):
    member = factory.member()
    service.notify(member, "reply", "Svar", subject_type="case", subject_id=7, email=False)
    service.notify(member, "reply", "Andet", subject_type="case", subject_id=8, email=False)
    assert service.withdraw("case", 7) == 1
    assert service.unread_count(member) == 1
