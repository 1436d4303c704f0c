"""Case fixtures: a published case in one line, with defaults a test can override."""

import typing as t

import pytest

from network.cases import replies, service
from network.cases.models import Case, Reply
from network.db import db
from network.members.models import Member


class CaseFactory:
    def case(self, author: Member, *, publish: bool = True, **fields: t.Any) -> Case:
        values = {
            "title": "Lærerne vil ikke dele materialer",
            "problem": "Teamet deler ikke undervisningsmaterialer, og nye lærere starter forfra.",
            "question": "Hvordan får jeg gjort deling til en vane?",
            "tools": ["leadership"],
            "focus_areas": ["support_teachers"],
            "tags": "videndeling, teamsamarbejde",
            **fields,
        }
        draft = service.CaseFields(**values)
        case = (
            service.publish_case(author, None, draft) if publish else service.save_draft(author, None, draft)
        )
        db.session.commit()
        return case

    def reply(
        self,
        author: Member,
        case: Case,
        body: str = "Hvad tror du, lærerne selv får ud af det?",
        kind: str = "question",
    ) -> Reply:
        reply = replies.add_reply(author, case, kind=kind, body=body)
        db.session.commit()
        return reply


@pytest.fixture
def cases(ctx) -> CaseFactory:
    return CaseFactory()
