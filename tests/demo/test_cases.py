"""The demo cases: about forty, every status, visibility and reply kind, answered across schools."""

from sqlalchemy import select

from network.cases.models import Case, CaseFollow, Reply
from network.db import db
from network.demo import MEMBER_EMAIL
from tests.demo.conftest import member


def test_demo_cases_cover_every_status_visibility_and_reply_kind(demo):
    cases = list(db.session.scalars(select(Case)))
    replies = list(db.session.scalars(select(Reply)))

    assert 35 <= len(cases) <= 45
    assert {c.status for c in cases} == {"draft", "open", "in_progress", "follow_up", "closed"}
    assert {c.visibility for c in cases} == {"named", "school_hidden", "anonymous"}
    assert all(c.title and c.problem for c in cases)
    assert all(c.question for c in cases if c.status != "draft")
    assert all(c.learning_summary and c.closed_at for c in cases if c.status == "closed")
    assert {r.kind for r in replies} == {"question", "experience", "suggestion"}
    assert len({r.body for r in replies}) == len(replies), "every reply is written for its case"


def test_the_demo_leader_has_a_case_of_each_kind_to_look_at(demo):
    leader = member(MEMBER_EMAIL)
    own = list(db.session.scalars(select(Case).where(Case.author_id == leader.id)))

    assert {c.status for c in own} == {"draft", "open", "in_progress", "closed"}
    assert all(c.replies for c in own if c.status != "draft")


def test_replies_come_from_other_schools_and_the_author_marks_the_helpful_ones(demo):
    replies = list(db.session.scalars(select(Reply)))

    assert all(r.author.school_id != r.case.author.school_id for r in replies)
    helpful = [r for r in replies if r.helpful_at]
    assert helpful and all(r.case.published_at < r.helpful_at for r in helpful)
    # Answering a case follows it (the service does that), so repliers hear what happens next.
    follows = {(f.case_id, f.member_id) for f in db.session.scalars(select(CaseFollow))}
    assert all((r.case_id, r.author_id) in follows for r in replies)
