"""Mail leaves the request through the outbox: an SMTP server that is down, hung, slow or back loses nothing.

Every test talks to a real SMTP server (aiosmtpd) on a port of its own.
"""

import datetime as dt
import threading

from sqlalchemy import func, select

from network.cases import social
from network.db import db, utcnow
from network.mail import outbox, send_mail
from network.mail.models import OutgoingMail
from network.notifications.models import Notification
from tests.cases.conftest import CaseFactory
from tests.conftest import PASSWORD, make_test_app
from tests.factories import Factory

LATER = dt.timedelta(hours=2)  # past any backoff of the first attempts


def queued() -> int:
    return db.session.scalar(select(func.count(OutgoingMail.id)).where(OutgoingMail.given_up_at.is_(None)))


def case_with_followers(count: int):
    factory, cases = Factory(), CaseFactory()
    case = cases.case(factory.member("Olga Ejer", email_frequency="never"))
    for _ in range(count):
        social.follow_case(factory.member(email_frequency="event"), case)
    replier = factory.member("Rasmus Replier")
    db.session.commit()
    return case, replier


def reply_through_the_page(app, case_id: int, replier_email: str, body: str):
    client = app.test_client()
    client.post("/log-ind", data={"email": replier_email, "password": PASSWORD})
    return client.post(f"/sager/{case_id}/svar", data={"kind": "question", "body": body})


def test_posting_opens_no_smtp_connection_with_50_followers_or_none(smtp_ctx, smtp):
    smtp.up()
    quiet, quiet_replier = case_with_followers(0)
    busy, busy_replier = case_with_followers(50)

    quiet_answer = reply_through_the_page(smtp_ctx, quiet.id, quiet_replier.email, "Hvem ejer problemet?")
    busy_answer = reply_through_the_page(smtp_ctx, busy.id, busy_replier.email, "Hvad har du prøvet?")
    assert quiet_answer.status_code == busy_answer.status_code == 303

    assert smtp.connections == 0  # neither request talked to the mail server
    assert queued() == 50
    assert outbox.deliver_due() == 50
    assert smtp.connections == 1  # the worker sent all 50 over one connection
    assert len(set(smtp.message_ids())) == 50


def test_an_smtp_outage_loses_no_reply_and_no_mail_and_sends_each_once(smtp_ctx, smtp):
    case, replier = case_with_followers(5)
    followers = {m.email for m in social.followers(case) if m.email_frequency == "event"}  # not the owner

    # Down: the reply is stored and answered at once; the mails wait.
    response = reply_through_the_page(smtp_ctx, case.id, replier.email, "Hvad siger lærerne selv?")
    assert response.status_code == 303
    assert [r.body for r in case.replies] == ["Hvad siger lærerne selv?"]
    assert outbox.deliver_due() == 0
    retrying = db.session.scalars(select(OutgoingMail)).all()
    assert len(retrying) == 5 and {m.attempts for m in retrying} == {1}
    assert all("ConnectionRefusedError" in m.last_error for m in retrying[:1])
    assert all(m.next_attempt_at > utcnow() for m in retrying)  # backed off, not hammering

    # Hung: the server takes connections and never answers; the worker times out and backs off again.
    smtp.hang()
    assert outbox.deliver_due(now=utcnow() + LATER) == 0
    assert max(m.attempts for m in db.session.scalars(select(OutgoingMail))) == 2

    # Slow but working: everything goes, each mail once.
    smtp.up()
    smtp.delay = 0.2
    assert outbox.deliver_due(now=utcnow() + 2 * LATER) == 5
    assert sorted(smtp.recipients()) == sorted(followers)
    assert len(set(smtp.message_ids())) == 5

    # Back to normal: nothing is left and nothing goes twice.
    smtp.delay = 0
    assert outbox.deliver_due(now=utcnow() + 3 * LATER) == 0
    assert queued() == 0 and len(smtp.received) == 5


def test_invites_and_resets_say_sent_once_queued_even_with_the_server_down(smtp_ctx, smtp):
    coordinator = Factory().coordinator()
    member = Factory().member(email="glemsom@skole.test")
    db.session.commit()
    client = smtp_ctx.test_client()
    client.post("/log-ind", data={"email": coordinator.email, "password": PASSWORD})
    page = client.post("/invitationer", data={"emails": "ny@skole.test", "role": "member", "school_id": 0})
    assert "1 invitation sendt." in client.get(page.headers["Location"]).text
    client.post("/log-ud")
    page = client.post("/glemt-adgangskode", data={"email": member.email}, follow_redirects=True).text
    assert "har vi sendt et link" in page
    assert sorted(m.to_address for m in db.session.scalars(select(OutgoingMail))) == [
        "glemsom@skole.test",
        "ny@skole.test",
    ]
    smtp.up()
    assert outbox.deliver_due() == 2
    assert sorted(smtp.recipients()) == ["glemsom@skole.test", "ny@skole.test"]


def test_a_rollback_sends_nothing(smtp_ctx, smtp):
    smtp.up()
    member = Factory().member()
    db.session.commit()
    send_mail(member.email, "Aldrig", "password_reset", member=member, link="/x", minutes=5)
    db.session.rollback()
    assert outbox.deliver_due() == 0 and smtp.received == []


def test_two_workers_never_send_the_same_mail(smtp_ctx, smtp):
    smtp.up()
    smtp.delay = 0.02
    members = [Factory().member() for _ in range(30)]
    db.session.commit()
    for member in members:
        send_mail(member.email, "Til hver sin", "password_reset", member=member, link="/x", minutes=5)
    db.session.commit()
    sent: list[int] = []

    def work(worker: str) -> None:
        with smtp_ctx.app_context():
            sent.append(outbox.deliver_due(worker_id=worker))

    threads = [threading.Thread(target=work, args=(f"worker-{n}",)) for n in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert sum(sent) == 30 and len(smtp.received) == 30
    assert len(set(smtp.message_ids())) == 30  # no mail twice
    assert queued() == 0


def test_a_claim_of_a_dead_worker_runs_out_and_the_mail_goes_once(smtp_ctx, smtp):
    smtp.up()
    member = Factory().member()
    db.session.commit()
    send_mail(member.email, "Efter genstart", "password_reset", member=member, link="/x", minutes=5)
    db.session.commit()
    assert outbox.claim_next("died-while-sending") is not None  # then the process was killed
    assert outbox.deliver_due() == 0  # the claim still holds
    after_the_claim = utcnow() + dt.timedelta(seconds=outbox.claim_seconds() + 1)
    assert outbox.deliver_due(now=after_the_claim) == 1
    assert smtp.recipients() == [member.email]


def test_a_restarted_process_sends_what_the_last_one_queued(database_url, tmp_path, smtp):
    """The outbox is in the database: a new process (its worker thread) sends what an old one left."""
    from network import create_app

    settings = {"MAIL_SERVER": "127.0.0.1", "MAIL_PORT": smtp.port, "MAIL_TIMEOUT_SECONDS": 1}
    old = make_test_app(database_url, tmp_path, MAIL_WORKER="external", **settings)
    with old.app_context():
        member = Factory().member()
        db.session.commit()
        send_mail(member.email, "Fra før genstarten", "password_reset", member=member, link="/x", minutes=5)
        db.session.commit()
        email = member.email
        db.session.remove()
        db.engine.dispose()  # the old process is gone

    smtp.up()
    new = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "test-secret",
            "DATABASE_URL": database_url,
            "SEARCH_INDEX_DIR": str(tmp_path / "search_index"),
            "MAIL_DIR": str(tmp_path / "mail"),
            "UPLOAD_DIR": str(tmp_path / "uploads"),
            "SERVER_NAME": "netvaerk.test",
            "MAIL_WORKER": "thread",
            **settings,
        }
    )
    try:
        assert new.test_client().get("/healthz").status_code == 200  # the first request starts the worker
        smtp.wait_for(1)
        assert smtp.recipients() == [email]
    finally:
        new.extensions["network_mail_thread"].stop()
        with new.app_context():
            db.session.remove()
            if database_url.startswith("postgresql"):
                db.drop_all()
            db.engine.dispose()


def test_an_address_the_server_refuses_is_given_up_and_the_others_go(smtp_ctx, smtp):
    smtp.up()
    smtp.refuse = {"findes.ikke@skole.test"}
    gone, fine = Factory().member(email="findes.ikke@skole.test"), Factory().member(email="findes@skole.test")
    db.session.commit()
    for member in (gone, fine):
        send_mail(member.email, "Hej", "password_reset", member=member, link="/x", minutes=5)
    db.session.commit()
    assert outbox.deliver_due() == 1
    assert smtp.recipients() == ["findes@skole.test"]
    refused = db.session.scalar(select(OutgoingMail))
    assert refused.to_address == gone.email and refused.given_up_at is not None
    assert "550" in refused.last_error
    assert outbox.status() == {"waiting": 0, "retrying": 0, "given_up": 1}


def test_retries_back_off_and_give_up_after_the_limit(smtp_ctx, smtp):
    member = Factory().member()
    db.session.commit()
    send_mail(member.email, "Hej", "password_reset", member=member, link="/x", minutes=5)
    db.session.commit()
    start = utcnow()
    delays = []
    now = start
    for _ in range(4):
        outbox.deliver_due(now=now)
        mail = db.session.scalar(select(OutgoingMail))
        delays.append((mail.next_attempt_at - now).total_seconds())
        now = mail.next_attempt_at
    base = smtp_ctx.config["MAIL_RETRY_SECONDS"]
    for attempt, delay in enumerate(delays):
        assert 0.8 * base * 2**attempt <= delay <= 1.2 * base * 2**attempt
    outbox.deliver_due(now=start + dt.timedelta(hours=smtp_ctx.config["MAIL_GIVE_UP_HOURS"] + 1))
    assert db.session.scalar(select(OutgoingMail)).given_up_at is not None
    smtp.up()  # the operator fixed the mail server, and queues the given-up mails again
    result = smtp_ctx.test_cli_runner().invoke(args=["mail-worker", "--once", "--retry-given-up"])
    assert "1 opgivne e-mails sat i kø igen" in result.output and "1 e-mail(s) sendt" in result.output
    assert smtp.recipients() == [member.email]


def test_a_notification_mail_is_marked_mailed_in_the_same_transaction(smtp_ctx, smtp):
    case, replier = case_with_followers(1)
    reply_through_the_page(smtp_ctx, case.id, replier.email, "Et spørgsmål")
    follower = next(m for m in social.followers(case) if m.email_frequency == "event")
    note = db.session.scalar(select(Notification).where(Notification.member_id == follower.id))
    assert note.emailed_at is not None and queued() == 1  # recorded and queued together
