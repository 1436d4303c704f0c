"""The demo cases: about forty, every status, visibility and reply kind, loaded once."""

from sqlalchemy import func, select

from network.cases.models import Case, Reply
from network.db import db
from network.demo import MEMBER_EMAIL, seed
from network.members.models import Member


def test_demo_cases_cover_every_status_visibility_and_reply_kind_and_load_once(app):
    with app.app_context():
        seed()
        cases = list(db.session.scalars(select(Case)))
        assert 35 <= len(cases) <= 45
        assert {c.status for c in cases} == {"draft", "open", "in_progress", "follow_up", "closed"}
        login = db.session.scalar(select(Member).where(Member.email == MEMBER_EMAIL))
        assert {c.status for c in cases if c.author_id == login.id} >= {"draft", "open", "closed"}
        assert {c.visibility for c in cases} == {"named", "school_hidden", "anonymous"}
        assert all(c.title and c.problem for c in cases)
        assert all(c.learning_summary for c in cases if c.status == "closed")
        assert {r.kind for r in db.session.scalars(select(Reply))} == {"question", "experience", "suggestion"}
        assert all(r.author_id != r.case.author_id for r in db.session.scalars(select(Reply)))
        replies = db.session.scalar(select(func.count(Reply.id)))
        seed()
        assert db.session.scalar(select(func.count(Case.id))) == len(cases)
        assert db.session.scalar(select(func.count(Reply.id))) == replies
