"""The demo network: fictional schools and leaders to try Ledernetværket with.

Everything here is invented. ``seed()`` only creates what is missing (schools by name, members
by email), so it is safe to run again and never overwrites what someone changed in a demo row.
Later features add their own ``_seed_*`` step to ``seed()`` and a part to its summary.
"""

import dataclasses
import datetime as dt
import random
import unicodedata
from collections.abc import Iterable

from flask import current_app
from sqlalchemy import func, select
from werkzeug.security import generate_password_hash

from network.cases.demo import seed_cases
from network.db import db, utcnow
from network.domain import FOCUS_AREAS, TOOLS
from network.meetups.demo import seed_meetups
from network.members import service
from network.members.models import Member, School
from network.projects.demo import seed_projects
from network.rooms.demo import seed_rooms

DEMO_PASSWORD = "demo-sparring"  # noqa: S105 - public on purpose: the demo logins' password
COORDINATOR_EMAIL = "koordinator@demo.ledernetvaerket.dk"
MEMBER_EMAIL = "leder@demo.ledernetvaerket.dk"
DEMO_LOGINS = ((COORDINATOR_EMAIL, "coordinator"), (MEMBER_EMAIL, "member"))
GENERATED_MEMBERS = 88  # plus the two demo logins
SEED = 2016


@dataclasses.dataclass(frozen=True)
class SchoolSpec:
    name: str
    domain: str  # members' mail: firstname.lastname@<domain>.demo.ledernetvaerket.dk
    city: str
    region: str
    kind: str
    education_areas: tuple[str, ...]


# [region kind], then one school a line: name | mail domain | city | education areas
_SCHOOL_TABLE = """
[hovedstaden model]
Teknisk Skole Lyngby Nord | lyngbynord | Kongens Lyngby | technology eux foundation
Handelsskolen Amagerbro | amagerbro | København S | office eux
[hovedstaden implementation]
Erhvervsskolen Øresundskysten | oeresundskysten | Helsingør | office care foundation
Nordsjællands Fagskole | nordsjaellandsfagskole | Hillerød | technology food
SOSU-skolen Vestvolden | vestvolden | Glostrup | care foundation
[sjaelland model]
Erhvervsskolen Isefjord | isefjord | Holbæk | technology office foundation
[sjaelland implementation]
Fagskolen Suså | susaa | Næstved | food technology
Handelsskolen Fjordbyen | fjordbyen | Roskilde | office eux
Køge Bugt Erhvervsskole | koegebugt | Køge | care technology foundation
[syddanmark model]
Erhvervsskolen Vadehavet | vadehavet | Esbjerg | technology food eux
Teknisk Skole Snoghøj | snoghoej | Fredericia | technology foundation
[syddanmark implementation]
Fødevareskolen Fynske Bakker | fynskebakker | Odense | food
Handelsskolen Sønderå | soenderaa | Tønder | office foundation
Sundhedsskolen Øhavet | oehavet | Svendborg | care eux
[midtjylland model]
Erhvervsskolen Vestfjord | vestfjord | Holstebro | technology office food foundation
Teknisk Skole Gudenådalen | gudenaadalen | Randers | technology eux
Social- og Sundhedsskolen Søhøjlandet | soehoejlandet | Silkeborg | care foundation
[midtjylland implementation]
Aarhus Bugt Handelsskole | aarhusbugt | Aarhus | office eux
Skolen for Jordbrug og Oplevelser Mossø | mossoe | Skanderborg | food
[nordjylland model]
Erhvervsskolen Limfjorden Vest | limfjordenvest | Thisted | technology food foundation
Handelsskolen Aalborg Østhavn | aalborgoesthavn | Aalborg | office eux care
[nordjylland implementation]
Teknisk Skole Nordkysten | nordkysten | Hjørring | technology eux
Sundhedsskolen Himmerland | himmerland | Hobro | care foundation
"""


def _parse_schools(table: str) -> tuple[SchoolSpec, ...]:
    schools, region, kind = [], "", ""
    for line in table.strip().splitlines():
        if line.startswith("["):
            region, kind = line.strip("[]").split()
            continue
        name, domain, city, areas = (cell.strip() for cell in line.split("|"))
        schools.append(SchoolSpec(name, domain, city, region, kind, tuple(areas.split())))
    return tuple(schools)


def _words(text: str) -> tuple[str, ...]:
    return tuple(text.split())


SCHOOLS = _parse_schools(_SCHOOL_TABLE)
FIRST_NAMES = _words(
    "Anne Mette Helle Susanne Pia Camilla Louise Maria Tina Lene Hanne Birgitte Lotte Signe Trine "
    "Marianne Rikke Dorthe Line Sofie Ida Karina Charlotte Jette Bodil Åse Gitte Malene Sanne "
    "Stine Vibeke Kirsten Inge Søren Jens Lars Henrik Michael Thomas Peter Morten Anders Jesper "
    "Martin Rasmus Niels Christian Bo Torben Kim Ole Jørgen Poul Klaus Steen Kasper Frederik "
    "Mikkel Jakob Bjørn Kristian Ulrik Carsten Finn Esben Troels"
)
LAST_NAMES = _words(
    "Nielsen Jensen Hansen Pedersen Andersen Christensen Larsen Sørensen Rasmussen Jørgensen "
    "Petersen Madsen Kristensen Olsen Thomsen Poulsen Johansen Møller Mortensen Knudsen Jakobsen "
    "Mikkelsen Frederiksen Laursen Henriksen Schmidt Eriksen Clausen Simonsen Svendsen Andreasen "
    "Iversen Østergaard Jeppesen Vestergaard Nissen Lauridsen Kjær Mogensen Dahl Bak Søndergaard "
    "Nørgaard Bech Toft Skov Dam Hvid Bruun Friis Kofoed Bækgaard Højer Lindholm Krogh"
)
TITLES = (
    ["Uddannelsesleder"] * 6
    + ["Afdelingsleder"] * 4
    + ["Pædagogisk leder"] * 3
    + ["Teamleder"] * 2
    + ["Uddannelseschef"] * 2
    + ["Vicedirektør", "Pædagogisk chef"]
)

# Bios are one to three sentences: who I am, what I work on, what I would like to talk about.
BIO_OPENINGS = (
    "Jeg kom til ledelse fra en stilling som faglærer og har stadig hjertet i værkstedet.",
    "Før jeg blev leder, underviste jeg i mange år på hovedforløbet.",
    "Jeg er forholdsvis ny som leder og bruger netværket til at blive klogere på min rolle.",
    "Min vej til ledelse gik gennem mange år som underviser og senere som teamkoordinator.",
    "I min afdeling er vi omkring tyve lærere med meget forskellige faglige baggrunde.",
    "Jeg har været med i programmet fra starten og er stadig nysgerrig på god pædagogisk ledelse.",
    "Til daglig har jeg ansvaret for et stort lærerteam og et tæt samarbejde med virksomhederne.",
    "Jeg er uddannet inden for mit fag og har siden taget en diplomuddannelse i ledelse.",
    "Jeg har arbejdet på skolen i femten år, de sidste seks som leder.",
    "Jeg leder et ungt lærerteam, hvor mange er nye i erhvervsskoleverdenen.",
    "Jeg har tidligere arbejdet i erhvervslivet og ser skolen med lidt andre øjne.",
    "Vores afdeling har elever fra hele regionen, og ingen hold ligner hinanden.",
)
BIO_WORK = (
    "Jeg går meget op i at være synlig i undervisningen og ikke kun på kontoret.",
    "Det vigtigste for mig er at støtte lærerne, så de har overskud til eleverne.",
    "Vi har arbejdet med motivationspædagogik, og det har ændret måden, vi taler om elever på.",
    "I ledelsesteamet holder vi faste refleksionsmøder, hvor vi ser kritisk på vores egen praksis.",
    "Lige nu kører jeg et aktionslæringsprojekt om overgangen fra grundforløb til hovedforløb.",
    "Jeg er optaget af, hvordan vi gør de pædagogiske metodevalg tydelige for lærere og elever.",
    "Vi har gode erfaringer med at lade lærerne observere hinandens undervisning.",
    "Min største opgave lige nu er at skabe et trygt læringsmiljø for elever, der har det svært.",
    "Jeg tror på anerkendende kommunikation som grundlag for trivsel hos både lærere og elever.",
    "Sammen med lærerne arbejder jeg på at gøre undervisningen mere helhedsorienteret.",
    "Vi arbejder med den sproglige dimension i alle fag, også dem man ikke forbinder med sprog.",
    "Lærernes kompetenceudvikling ligger mig på sinde, og vi har lagt en fælles plan for den.",
    "Jeg prøver at gå foran som rollemodel, også når det gælder om at turde prøve noget nyt.",
    "Vi har sat retning på det pædagogiske arbejde med få, klare mål, som alle kender.",
    "Jeg bruger en del tid på klasserumsbesøg og korte feedbacksamtaler bagefter.",
    "Progression i elevernes læring er vores fokus i år, især i de første uger af forløbet.",
)
BIO_SPARRING = (
    "Jeg vil gerne sparre med andre, der arbejder med fastholdelse og frafald.",
    "Ring endelig, hvis du vil høre om vores erfaringer.",
    "Jeg søger sparring om, hvordan man holder fast i nye vaner, når hverdagen tager over.",
    "Jeg deler gerne materialer og hører meget gerne, hvordan andre gør.",
    "Jeg vil gerne i kontakt med ledere, der har indført nye metoder på tværs af afdelinger.",
    "Jeg hører gerne fra andre, der også står midt i en forandring.",
    "Kontakt mig gerne, hvis du vil besøge os og se, hvordan vi gør.",
    "Jeg er nysgerrig på, hvordan andre skoler organiserer refleksionen i ledelsesteamet.",
    "Jeg deler gerne vores skabeloner til observation og feedback.",
    "Jeg vil gerne blive klogere på, hvordan man kan se, om pædagogikken virker.",
    "Skriv gerne, hvis du har lyst til en uformel snak over en kop kaffe eller på Teams.",
)


@dataclasses.dataclass(frozen=True)
class MemberSpec:
    """One demo member as it should be created; timestamps are relative to the seeding time."""

    email: str
    name: str
    school: str
    title: str
    bio: str
    tools: tuple[str, ...]
    focus_areas: tuple[str, ...]
    education_areas: tuple[str, ...]
    role: str = "member"
    phone: str = ""
    open_for_sparring: bool = True
    private_fields: tuple[str, ...] = ()
    active_ago: dt.timedelta = dt.timedelta(days=1)
    member_for: dt.timedelta = dt.timedelta(days=180)
    password: str | None = None


DEMO_LOGIN_SPECS = (
    MemberSpec(
        email=COORDINATOR_EMAIL,
        name="Karen Holm",
        school="Erhvervsskolen Vestfjord",
        role="coordinator",
        title="Pædagogisk udviklingschef og netværkskoordinator",
        phone="+45 28 41 63 90",
        password=DEMO_PASSWORD,
        bio=(
            "Jeg koordinerer netværket og sørger for, at ledere med samme udfordringer finder "
            "hinanden. Til daglig leder jeg det pædagogiske udviklingsarbejde på skolen. "
            "Skriv til mig, hvis du mangler en sparringspartner eller har en idé til netværket."
        ),
        tools=("motivation", "leadership"),
        focus_areas=("direction", "appreciative", "support_teachers"),
        education_areas=("technology", "foundation"),
        active_ago=dt.timedelta(hours=3),
        member_for=dt.timedelta(days=420),
    ),
    MemberSpec(
        email=MEMBER_EMAIL,
        name="Mads Lund",
        school="Erhvervsskolen Øresundskysten",
        title="Uddannelsesleder",
        phone="+45 31 72 18 05",
        password=DEMO_PASSWORD,
        bio=(
            "Jeg leder grundforløbet og et team på fjorten lærere. Vi er i gang med at gøre "
            "undervisningen mere helhedsorienteret, og jeg vil gerne høre, hvordan andre har "
            "grebet det an."
        ),
        tools=("holistic", "progressive"),
        focus_areas=("visible", "learning_environment"),
        education_areas=("foundation", "office"),
        active_ago=dt.timedelta(days=1, hours=5),
        member_for=dt.timedelta(days=240),
    ),
)


def seed(only_if_empty: bool = False) -> str:
    """Load the demo network; safe to run again (nothing is duplicated).

    Returns a one-line summary.
    """
    if only_if_empty and db.session.scalar(select(func.count(Member.id))):
        return "Demodata blev ikke indlæst: databasen har allerede medlemmer."
    schools, new_schools = _seed_schools()
    members, new_members = _seed_members(schools)
    seed_cases(list(members.values()))
    seed_projects()  # AL projects with reports (issue 4); the commit below drains them into the index
    seed_meetups(members)
    rooms_note = seed_rooms(list(members.values()))
    db.session.commit()
    return (
        f"Demodata: {len(schools)} skoler ({_new(new_schools)}), "
        f"{len(members)} medlemmer ({_new(new_members)}), {rooms_note}."
    )


def _new(count: int) -> str:
    return f"{count} {'ny' if count == 1 else 'nye'}"


def _seed_schools() -> tuple[dict[str, School], int]:
    """The demo schools by name, created where missing; and how many were created."""
    existing = {school.name.lower(): school for school in db.session.scalars(select(School))}
    schools: dict[str, School] = {}
    created = 0
    for spec in SCHOOLS:
        school = existing.get(spec.name.lower())
        if school is None:
            school = School(name=spec.name, city=spec.city, region=spec.region, kind=spec.kind, is_demo=True)
            school.education_areas = list(spec.education_areas)
            db.session.add(school)
            created += 1
        schools[spec.name] = school
    db.session.flush()
    return schools, created


def _seed_members(schools: dict[str, School]) -> tuple[dict[str, Member], int]:
    """The demo members by email, created where missing; and how many were created."""
    now = utcnow()
    members: dict[str, Member] = {}
    created = 0
    for spec in (*DEMO_LOGIN_SPECS, *member_specs()):
        member = service.find_member_by_email(spec.email)
        if member is None:
            member = _create_member(spec, schools[spec.school], now)
            created += 1
        members[spec.email] = member
    db.session.flush()
    return members, created


def _create_member(spec: MemberSpec, school: School, now: dt.datetime) -> Member:
    last_active = now - spec.active_ago
    member = Member(
        email=spec.email,
        name=spec.name,
        school=school,
        role=spec.role,
        title=spec.title,
        phone=spec.phone,
        bio=spec.bio,
        open_for_sparring=spec.open_for_sparring,
        private_fields=list(spec.private_fields),
        is_demo=True,
        created_at=last_active - spec.member_for,
        last_active_at=last_active,
    )
    member.tools = list(spec.tools)
    member.focus_areas = list(spec.focus_areas)
    member.education_areas = list(spec.education_areas)
    if spec.password:
        _set_demo_password(member, spec.password)
    db.session.add(member)
    return member


def _set_demo_password(member: Member, password: str) -> None:
    try:
        service.set_password(member, password)
    except service.WeakPassword:
        # The demo password is public anyway; a stricter policy must not lock the demo out.
        method = current_app.config.get("PASSWORD_HASH_METHOD", "scrypt")
        member.password_hash = generate_password_hash(password, method=method)


def member_specs() -> list[MemberSpec]:
    """The generated demo members: the same list on every run (a seeded generator)."""
    rng = random.Random(SEED)
    # Every school gets at least two members; the rest are spread at random.
    placements = [school for school in SCHOOLS for _ in range(2)]
    while len(placements) < GENERATED_MEMBERS:
        placements.append(rng.choice(SCHOOLS))
    taken_names = {spec.name for spec in DEMO_LOGIN_SPECS}
    taken_emails = {spec.email for spec in DEMO_LOGIN_SPECS}
    specs = []
    for school in placements:
        first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
        while f"{first} {last}" in taken_names:
            first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
        taken_names.add(f"{first} {last}")
        email = _unique_email(f"{_ascii(first)}.{_ascii(last)}", school.domain, taken_emails)
        open_for_sparring = rng.random() < 0.85
        phone = _phone(rng) if rng.random() < 0.6 else ""
        roll = rng.random()
        private = ("phone",) if roll < 0.15 else ("email", "phone") if roll < 0.22 else ()
        specs.append(
            MemberSpec(
                email=email,
                name=f"{first} {last}",
                school=school.name,
                title=rng.choice(TITLES),
                bio=_bio(rng, open_for_sparring),
                tools=_pick(rng, TOOLS, 1, 3),
                focus_areas=_pick(rng, FOCUS_AREAS, 1, 4),
                education_areas=_pick(rng, school.education_areas, 1, 2),
                phone=phone,
                open_for_sparring=open_for_sparring,
                private_fields=private if phone else (),
                active_ago=dt.timedelta(minutes=rng.randint(10, 90 * 24 * 60)),
                member_for=dt.timedelta(days=rng.randint(14, 700)),
            )
        )
    return specs


def _pick(rng: random.Random, vocabulary: Iterable[str], low: int, high: int) -> tuple[str, ...]:
    """Between low and high distinct values, in vocabulary order."""
    keys = list(vocabulary)
    chosen = set(rng.sample(keys, rng.randint(low, min(high, len(keys)))))
    return tuple(key for key in keys if key in chosen)


def _bio(rng: random.Random, open_for_sparring: bool) -> str:
    parts = [rng.choice(BIO_WORK)]
    if rng.random() < 0.6:
        parts.insert(0, rng.choice(BIO_OPENINGS))
    if open_for_sparring and rng.random() < 0.6:
        parts.append(rng.choice(BIO_SPARRING))
    return " ".join(parts)


def _phone(rng: random.Random) -> str:
    return f"+45 {rng.randint(20, 61)} " + " ".join(f"{rng.randint(0, 99):02d}" for _ in range(3))


def _unique_email(local: str, domain: str, taken: set[str]) -> str:
    email, n = f"{local}@{domain}.demo.ledernetvaerket.dk", 2
    while email in taken:
        email, n = f"{local}{n}@{domain}.demo.ledernetvaerket.dk", n + 1
    taken.add(email)
    return email


def _ascii(text: str) -> str:
    """Lowercase ASCII for mail addresses: æ -> ae, ø -> oe, å -> aa, other accents dropped."""
    text = text.lower().replace("æ", "ae").replace("ø", "oe").replace("å", "aa")
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return "".join(ch if ch.isalnum() else "-" for ch in text).strip("-")
