import pytest

from network.audit import service
from network.audit.models import AuditEntry
from network.db import db
from network.errors import NotAllowed
from network.members import service as members


def test_role_changes_and_school_edits_are_logged(factory):
    admin, member = factory.admin(name="Anne Admin"), factory.member()
    members.change_role(admin, member, "coordinator")
    members.save_school(
        admin, None, name="Logskolen", city="Ry", region="midtjylland", kind="other", education_areas=[]
    )
    db.session.commit()
    actions = [e.action for e in service.entries(admin).items]
    assert actions == ["school.saved", "member.role_changed"]
    assert service.entries(admin).items[1].detail == "member -> coordinator"


def test_only_admins_read_the_log(client, auth, factory):
    with pytest.raises(NotAllowed):
        service.entries(factory.coordinator())
    auth.login(factory.coordinator())
    assert client.get("/revisionslog").status_code == 403
    auth.logout()
    admin = factory.admin()
    service.record(admin, "test.action", "member", 1, "en detalje")
    db.session.commit()
    auth.login(admin)
    assert "test.action" in client.get("/revisionslog").get_data(as_text=True)


def test_a_failed_action_leaves_no_entry(factory):
    admin = factory.admin()
    service.record(admin, "will.roll.back")
    db.session.rollback()
    assert db.session.scalar(db.select(db.func.count()).select_from(AuditEntry)) == 0
