"""Test factories: make a school or member in one line, with defaults a test can override."""

import itertools
import typing as t

from network.db import db
from network.members import service
from network.members.models import Member, School

PASSWORD = "en-lang-god-sætning"
_counter = itertools.count(1)


class Factory:
    def school(self, name: str | None = None, **fields: t.Any) -> School:
        n = next(_counter)
        school = School(
            name=name or f"Testskolen {n}",
            city=fields.pop("city", "Odense"),
            region=fields.pop("region", "syddanmark"),
            kind=fields.pop("kind", "model"),
        )
        school.education_areas = fields.pop("education_areas", ["technology"])
        for key, value in fields.items():
            setattr(school, key, value)
        db.session.add(school)
        db.session.commit()
        return school

    def member(
        self,
        name: str | None = None,
        *,
        school: School | None = None,
        role: str = "member",
        password: str = PASSWORD,
        **fields: t.Any,
    ) -> Member:
        n = next(_counter)
        school = school or self.school()
        member = service.create_member(
            email=fields.pop("email", f"medlem{n}@skole.test"),
            name=name or f"Medlem Nummer{n}",
            school_id=school.id,
            role=role,
            password=password,
            title=fields.pop("title", "Uddannelsesleder"),
        )
        for key, value in fields.items():
            setattr(member, key, value)
        db.session.commit()
        return member

    def coordinator(self, **fields: t.Any) -> Member:
        return self.member(role="coordinator", **fields)

    def admin(self, **fields: t.Any) -> Member:
        return self.member(role="admin", **fields)
