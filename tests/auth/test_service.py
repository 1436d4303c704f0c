import datetime as dt

import pytest

from network.auth import service
from network.db import db
from network.errors import NotAllowed
from network.members.service import WeakPassword
from tests.conftest import read_mails


def invite_link_token(mail) -> str:
    body = mail.get_body(preferencelist=("plain",)).get_content()
    line = next(line for line in body.splitlines() if "/invitation/" in line)
    return line.strip().rsplit("/invitation/", 1)[1]


def test_parse_addresses_from_a_pasted_list_and_from_csv():
    assert service.parse_addresses("a@x.dk, b@x.dk;c@x.dk\n d@x.dk") == [
        ("a@x.dk", ""),
        ("b@x.dk", ""),
        ("c@x.dk", ""),
        ("d@x.dk", ""),
    ]
    csv_text = "navn;email\nAnna Holm;anna@x.dk\nBo Berg;bo@x.dk\n"
    assert service.parse_addresses(csv_text) == [("anna@x.dk", "Anna Holm"), ("bo@x.dk", "Bo Berg")]


def test_coordinator_invites_a_list_and_each_address_gets_a_mail(factory, app):
    coordinator = factory.coordinator()
    existing = factory.member(email="allerede@skole.test")
    outcomes = service.invite_members(
        coordinator, f"ny1@skole.test\nny2@skole.test\n{existing.email}\nny1@skole.test"
    )
    db.session.commit()
    assert [o.status for o in outcomes] == ["invited", "invited", "member", "invalid"]
    assert sorted(m["To"] for m in read_mails(app)) == ["ny1@skole.test", "ny2@skole.test"]


def test_members_cannot_invite_and_coordinators_cannot_invite_admins(factory):
    with pytest.raises(NotAllowed):
        service.invite_members(factory.member(), "x@skole.test")
    with pytest.raises(NotAllowed):
        service.invite_members(factory.coordinator(), "x@skole.test", role="admin")


def test_an_invite_link_works_once(factory, app):
    coordinator = factory.coordinator()
    service.invite_members(coordinator, "ny@skole.test")
    db.session.commit()
    token = invite_link_token(read_mails(app)[-1])
    member = service.accept_invite(
        token, name="Ny Leder", password="kaffe og kridt på tavlen", school_id=coordinator.school_id
    )
    db.session.commit()
    assert member.email == "ny@skole.test"
    with pytest.raises(service.InviteUsed):
        service.invite_from_token(token)


def test_a_forged_or_resent_link_is_refused(factory, app):
    coordinator = factory.coordinator()
    service.invite_members(coordinator, "ny@skole.test")
    db.session.commit()
    old_token = invite_link_token(read_mails(app)[-1])
    with pytest.raises(service.InvalidInvite):
        service.invite_from_token(old_token[:-2] + "xx")
    service.invite_members(coordinator, "ny@skole.test")  # resending rotates the link
    db.session.commit()
    with pytest.raises(service.InvalidInvite):
        service.invite_from_token(old_token)
    assert service.invite_from_token(invite_link_token(read_mails(app)[-1])).email == "ny@skole.test"


def test_an_invite_expires_after_14_days(factory, app):
    service.invite_members(factory.coordinator(), "ny@skole.test")
    db.session.commit()
    invite = service.list_invites(factory.coordinator())[0]
    invite.expires_at = invite.created_at + dt.timedelta(days=14) - dt.timedelta(days=15)
    db.session.commit()
    with pytest.raises(service.InviteExpired):
        service.invite_from_token(service.invite_token(invite))
    assert invite.status == "expired"


def test_a_revoked_invite_cannot_be_used(factory):
    coordinator = factory.coordinator()
    service.invite_members(coordinator, "ny@skole.test")
    invite = service.list_invites(coordinator)[0]
    service.revoke_invite(coordinator, invite.id)
    with pytest.raises(service.InvalidInvite):
        service.invite_from_token(service.invite_token(invite))


def test_accepting_with_a_weak_password_creates_nothing(factory, app):
    coordinator = factory.coordinator()
    service.invite_members(coordinator, "ny@skole.test")
    db.session.commit()
    token = invite_link_token(read_mails(app)[-1])
    with pytest.raises(WeakPassword):
        service.accept_invite(token, name="Ny", password="123456789012", school_id=coordinator.school_id)
    db.session.rollback()
    assert service.invite_from_token(token).accepted_at is None


def test_authenticate(factory):
    member = factory.member(email="leder@skole.test")
    assert service.authenticate("LEDER@skole.test", "en-lang-god-sætning") == member
    assert service.authenticate("leder@skole.test", "forkert") is None
    assert service.authenticate("ukendt@skole.test", "en-lang-god-sætning") is None


def test_password_reset_link_works_once_and_only_for_members(factory, app):
    member = factory.member(email="leder@skole.test")
    service.request_password_reset("ukendt@skole.test")
    assert read_mails(app) == []
    service.request_password_reset("Leder@skole.test")
    db.session.commit()
    body = read_mails(app)[-1].get_body(preferencelist=("plain",)).get_content()
    token = next(line for line in body.splitlines() if "/ny-adgangskode/" in line).rsplit("/", 1)[1]
    service.reset_password(token, "et helt nyt kodeord")
    db.session.commit()
    assert service.authenticate(member.email, "et helt nyt kodeord") == member
    with pytest.raises(service.InvalidResetLink):
        service.reset_password(token, "endnu et nyt kodeord")


def test_api_tokens_are_stored_hashed_and_can_be_revoked(factory):
    member = factory.member()
    token, plain = service.create_api_token(member, "Regneark")
    assert plain not in token.token_hash and token.token_hash != plain
    assert service.member_for_api_token(plain) == member
    service.revoke_api_token(member, token.id)
    assert service.member_for_api_token(plain) is None
    assert service.member_for_api_token("lnv_forged") is None


def test_members_revoke_only_their_own_tokens(factory):
    owner, other = factory.member(), factory.member()
    token, _plain = service.create_api_token(owner, "x")
    with pytest.raises(service.NotFound):
        service.revoke_api_token(other, token.id)


def test_session_loader_refuses_a_rotated_token(factory):
    member = factory.member()
    session_id = member.get_id()
    assert service.load_member_from_session(session_id) == member
    service.change_password(member, "en-lang-god-sætning", "en anden lang sætning")
    assert service.load_member_from_session(session_id) is None
    assert service.load_member_from_session("not-a-number:x") is None


def test_account_locks_after_repeated_failures_and_unlocks_by_mail(factory, app):
    app.config["LOCKOUT_THRESHOLD"] = 3
    member = factory.member(email="leder@skole.test")
    for _ in range(3):
        assert service.authenticate("leder@skole.test", "forkert kode") is None
    db.session.commit()
    assert member.locked_at is not None
    assert service.authenticate("leder@skole.test", "en-lang-god-sætning") is None  # even the right one
    mail = read_mails(app)[-1]
    assert mail["To"] == "leder@skole.test" and "låst" in mail["Subject"]
    body = mail.get_body(preferencelist=("plain",)).get_content()
    token = next(line for line in body.splitlines() if "/laas-op/" in line).strip().rsplit("/", 1)[1]
    service.unlock(token)
    db.session.commit()
    assert service.authenticate("leder@skole.test", "en-lang-god-sætning") == member
    with pytest.raises(service.InvalidResetLink):
        service.unlock(token)  # works once


def test_a_success_resets_the_failure_count(factory, app):
    app.config["LOCKOUT_THRESHOLD"] = 3
    member = factory.member(email="leder@skole.test")
    for _ in range(2):
        service.authenticate("leder@skole.test", "forkert kode")
    service.authenticate("leder@skole.test", "en-lang-god-sætning")
    service.authenticate("leder@skole.test", "forkert kode")
    assert member.locked_at is None and member.failed_login_count == 1
