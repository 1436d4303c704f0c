"""The demo's schools and members (data/schools.toml, data/members.toml), made through members.service.

Named members (the two demo logins) are written out in the file; every school's other leaders are
drawn from the file's name lists with generators seeded by the school, so every run makes the same
people. Found by name and email, so a second run adds only what is missing.
"""

import dataclasses
import datetime as dt
import random
import unicodedata

from network.cases import social
from network.demo.data import DemoDataError, build, entries, load
from network.demo.stage import Count, Stage
from network.domain import FOCUS_AREAS, TOOLS
from network.members import service as members
from network.members.models import Member
from network.notifications import service as notifications

DEMO_PASSWORD = "demo-sparring"  # noqa: S105 - public on purpose: the demo logins' password
MAIL_DOMAIN = "demo.ledernetvaerket.dk"
TEACHER_TOOLS = tuple(tool for tool in TOOLS if tool != "leadership")


@dataclasses.dataclass(frozen=True)
class SchoolSpec:
    name: str
    mail: str  # members' addresses: fornavn.efternavn@<mail>.demo.ledernetvaerket.dk
    city: str
    region: str
    kind: str
    education_areas: list[str]
    leaders: int  # how many of the school's leaders took part in the programme


@dataclasses.dataclass(frozen=True)
class MemberSpec:
    """One member as the demo makes them; times are counted back from the seeding."""

    email: str
    name: str
    school: str
    title: str
    bio: str
    tools: list[str]
    focus_areas: list[str]
    education_areas: list[str]
    key: str = ""  # how other data files name this member: "@key"
    role: str = "member"
    login: bool = False  # signs in with DEMO_PASSWORD; everyone else has no password
    phone: str = ""
    open_for_sparring: bool = True
    private_fields: list[str] = dataclasses.field(default_factory=list)
    email_frequency: str = "weekly"
    joined_days_ago: float = 300
    active_hours_ago: float = 24
    follows_tags: list[str] = dataclasses.field(default_factory=list)
    follows_tools: list[str] = dataclasses.field(default_factory=list)


@dataclasses.dataclass(frozen=True)
class Bios:
    """Sentences a generated bio is made of ([generated.bio] in members.toml)."""

    openings: list[str]
    work: list[str]
    model_school: list[str]  # only model-school leaders ran AL projects in the programme
    sparring: list[str]


@dataclasses.dataclass(frozen=True)
class Generated:
    """How the members who are not written out are drawn ([generated] in members.toml)."""

    first_names: list[str]
    last_names: list[str]
    titles: dict[str, int]  # title -> weight
    email_frequencies: dict[str, int]  # choice -> weight
    bio: dict[str, list[str]]

    @property
    def bios(self) -> Bios:
        return build(Bios, self.bio, "data/members.toml, [generated.bio]")


def school_specs() -> list[SchoolSpec]:
    """The schools as written in data/schools.toml."""
    return entries("schools", "school", SchoolSpec)


def member_specs() -> list[MemberSpec]:
    """Every demo member: the named ones, then each school's generated leaders."""
    named = entries("members", "member", MemberSpec)
    generated = build(Generated, load("members")["generated"], "data/members.toml, [generated]")
    taken_names = {spec.name for spec in named}
    taken_emails = {spec.email.lower() for spec in named}
    specs = list(named)
    for school in school_specs():
        here = sum(1 for spec in named if spec.school == school.name)
        if here > school.leaders:
            raise DemoDataError(f"data/members.toml: more named members at {school.name} than its leaders")
        rng = Stage.rng("members", school.name)
        for _ in range(school.leaders - here):
            specs.append(_generated(rng, generated, school, taken_names, taken_emails))
    return specs


def _generated(
    rng: random.Random, data: Generated, school: SchoolSpec, taken_names: set[str], taken_emails: set[str]
) -> MemberSpec:
    first, last = rng.choice(data.first_names), rng.choice(data.last_names)
    while f"{first} {last}" in taken_names:
        first, last = rng.choice(data.first_names), rng.choice(data.last_names)
    taken_names.add(f"{first} {last}")
    email = _unique_email(f"{_ascii(first)}.{_ascii(last)}", school.mail, taken_emails)
    model = school.kind == "model"
    # Model-school leaders were trained in Pædagogisk ledelse; implementation schools' teachers took
    # at least one of the four teaching tools, and their leaders followed.
    tools = ["leadership", *_pick(rng, TEACHER_TOOLS, 0, 2)] if model else _pick(rng, TEACHER_TOOLS, 1, 2)
    open_for_sparring = rng.random() < 0.85
    phone = _phone(rng) if rng.random() < 0.6 else ""
    roll = rng.random()
    private = ["phone"] if roll < 0.15 else ["email", "phone"] if roll < 0.22 else []
    return MemberSpec(
        email=email,
        name=f"{first} {last}",
        school=school.name,
        title=_weighted(rng, data.titles),
        bio=_bio(rng, data.bios, model, open_for_sparring),
        tools=[tool for tool in TOOLS if tool in tools],
        focus_areas=list(_pick(rng, FOCUS_AREAS, 1, 4)),
        education_areas=list(_pick(rng, school.education_areas, 1, 2)),
        phone=phone,
        open_for_sparring=open_for_sparring,
        private_fields=private if phone else [],
        email_frequency=_weighted(rng, data.email_frequencies),
        joined_days_ago=rng.choice((rng.uniform(200, 700), rng.uniform(200, 700), rng.uniform(20, 120))),
        active_hours_ago=rng.uniform(0.2, 60 * 24),
    )


def seed_schools(stage: Stage) -> Count:
    """The demo schools, added where missing."""
    existing = {school.name.lower(): school for school in members.list_schools()}
    new = 0
    for spec in school_specs():
        school = existing.get(spec.name.lower())
        if school is None:
            school = members.add_founding_school(
                name=spec.name,
                city=spec.city,
                region=spec.region,
                kind=spec.kind,
                education_areas=spec.education_areas,
                is_demo=True,
            )
            new += 1
        stage.schools[spec.name] = school
    return Count("skoler", len(stage.schools), new)


def seed_members(stage: Stage) -> Count:
    """The demo members, added where missing, each on the day they joined."""
    new = 0
    for spec in member_specs():
        member = members.find_member_by_email(spec.email)
        if member is None:
            member = _create(stage, spec)
            stage.new_member_ids.add(member.id)
            new += 1
        stage.members[spec.email.lower()] = member
        if spec.key:
            stage.keys[spec.key] = member
    return Count("medlemmer", len(stage.members), new)


def _create(stage: Stage, spec: MemberSpec) -> Member:
    school = stage.schools.get(spec.school)
    if school is None:
        raise DemoDataError(f"data/members.toml: {spec.name}: unknown school {spec.school!r}")
    joined = stage.ago(days=spec.joined_days_ago)
    with stage.acting(None, joined):
        member = members.create_member(
            email=spec.email,
            name=spec.name,
            school_id=school.id,
            role=spec.role,
            password=DEMO_PASSWORD if spec.login else None,
            title=spec.title,
            is_demo=True,
        )
        changes = members.ProfileChanges(
            phone=spec.phone,
            bio=spec.bio,
            open_for_sparring=spec.open_for_sparring,
            tools=spec.tools,
            focus_areas=spec.focus_areas,
            education_areas=spec.education_areas,
            private_fields=spec.private_fields,
            email_frequency=spec.email_frequency,
        )
        members.update_profile(member, member, changes)
        for tag in spec.follows_tags:
            social.follow_topic(member, "tag", tag)
        for tool in spec.follows_tools:
            social.follow_topic(member, "tool", tool)
    # When the member was last seen: set at the end, after everything they did in the demo.
    stage.joined[member.id] = joined
    stage.last_active[member.id] = max(stage.ago(hours=spec.active_hours_ago), joined + dt.timedelta(hours=1))
    return member


def record_last_visit(stage: Stage) -> None:
    """Each new member's last visit: after their latest demo activity, they read their notifications.

    What was told them after that visit stays unread: what is new for the demo leader signing in.
    """
    for member in stage.members.values():
        if member.id not in stage.new_member_ids:
            continue
        with stage.acting(None, stage.last_active[member.id]) as visit:
            members.touch_last_active(member)
            for notification in notifications.recent(member, per_page=1000).items:
                if notification.read_at is None and notification.created_at <= visit:
                    notifications.mark_read(member, notification.id)


def _pick(rng: random.Random, vocabulary: object, low: int, high: int) -> tuple[str, ...]:
    """Between low and high distinct values, in vocabulary order."""
    keys = list(vocabulary)  # type: ignore[call-overload]
    chosen = set(rng.sample(keys, rng.randint(low, min(high, len(keys)))))
    return tuple(key for key in keys if key in chosen)


def _weighted(rng: random.Random, weights: dict[str, int]) -> str:
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def _bio(rng: random.Random, bios: Bios, model_school: bool, open_for_sparring: bool) -> str:
    parts = [rng.choice(bios.work)]
    if rng.random() < 0.6:
        parts.insert(0, rng.choice(bios.openings))
    if model_school and rng.random() < 0.5:
        parts.append(rng.choice(bios.model_school))
    if open_for_sparring and rng.random() < 0.6:
        parts.append(rng.choice(bios.sparring))
    return " ".join(parts)


def _phone(rng: random.Random) -> str:
    return f"+45 {rng.randint(20, 61)} " + " ".join(f"{rng.randint(0, 99):02d}" for _ in range(3))


def _unique_email(local: str, domain: str, taken: set[str]) -> str:
    email, n = f"{local}@{domain}.{MAIL_DOMAIN}", 2
    while email in taken:
        email, n = f"{local}{n}@{domain}.{MAIL_DOMAIN}", n + 1
    taken.add(email)
    return email


def _ascii(text: str) -> str:
    """Lowercase ASCII for mail addresses: æ -> ae, ø -> oe, å -> aa, other accents dropped."""
    text = text.lower().replace("æ", "ae").replace("ø", "oe").replace("å", "aa")
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return "".join(ch if ch.isalnum() else "-" for ch in text).strip("-")
