"""Demo rooms: standing rooms with some history and one finished reflecting-team session.

Deterministic (random.Random) and idempotent: a room that exists by name is left alone.
"""

import datetime as dt
import random
import uuid
from collections.abc import Sequence

from sqlalchemy import select

from network.cases.models import Case
from network.db import db, utcnow
from network.members.models import Member
from network.rooms.models import DEFAULT_MINUTES, PHASES, Message, ReflectingSession, Room, SessionParticipant

SEED = 2016
DEMO_CASE_TITLE = "Demo: Teamet vil ikke dele undervisningsforløb"

STANDING = (
    (
        "Region Midtjylland",
        "midtjylland",
        "",
        "",
        "Ledere fra de midtjyske skoler: aftaler, besøg og hurtige spørgsmål.",
    ),
    (
        "Motivationspædagogik i praksis",
        "",
        "motivation",
        "",
        "Del det, der virker, når eleverne skal i gang.",
    ),
    ("Ny som leder", "", "", "Den første tid som leder", "Et rum for dig, der er nyere i lederrollen."),
)
CHAT = (
    "Godmorgen! Er der andre, der har prøvet at flytte teammøderne til om morgenen?",
    "Ja, vi gjorde det sidste år. Fremmødet steg, men det kræver en fast dagsorden.",
    "Hvad gjorde I med de lærere, der underviser på tværs af to teams?",
    "Vi lod dem vælge ét hjemteam og læse referatet fra det andet.",
    "Det lyder fornuftigt. Jeg tager det med til vores ledermøde på torsdag.",
    "Husk netværksmødet i Vejle – der er stadig ledige pladser.",
    "Tak for i går! Jeg har lagt vores skabelon til elevsamtaler på min profil.",
    "Er der nogen, der har erfaring med **korte læringsmål** på tavlen i hver time?",
    "Vi har det i gang på grundforløbet. Eleverne spørger selv efter dem nu.",
    "Spændende – kan jeg komme forbi og se det en dag?",
)
SESSION_SCRIPT = (
    (
        "present",
        "giver",
        "Vores team på grundforløbet planlægger hver for sig. Jeg vil gerne have dem til at dele forløb.",
    ),
    (
        "present",
        "giver",
        "Jeg har prøvet at sætte det på dagsordenen to gange, men det ender i snak om skemaet.",
    ),
    ("questions", "team", "Hvad siger lærerne selv, når du spørger, hvad der holder dem tilbage?"),
    ("questions", "giver", "At det tager tid, og at deres forløb passer til netop deres elever."),
    ("questions", "team", "Er der én i teamet, der allerede deler?"),
    ("questions", "giver", "Ja, en ung lærer lægger alt på fællesdrevet."),
    ("reflecting", "team", "Jeg bliver nysgerrig på, om opgaven er for stor. Måske ét fælles forløb først?"),
    (
        "reflecting",
        "team",
        "Den unge lærer kunne være en nøgle – uden at blive gjort til forbillede foran de andre.",
    ),
    ("reflecting", "facilitator", "Jeg hører også et spørgsmål om tid: hvad kan lederen tage af bordet?"),
    ("response", "giver", "Det med ét forløb rammer mig. Jeg har gjort det til et alt-eller-intet-projekt."),
    ("roundup", "facilitator", "Lad os samle op: hvad gør du som det første?"),
    ("roundup", "giver", "Jeg beder teamet vælge ét forløb til januar og giver dem en time fri til det."),
)


def seed_rooms(members: Sequence[Member]) -> str:
    """Create the demo rooms and the finished session; returns a short summary."""
    rng = random.Random(SEED)
    people = sorted(members, key=lambda m: m.id)
    if len(people) < 6:
        return "Demorum: for få medlemmer."
    coordinator = next((m for m in people if m.is_coordinator), people[0])
    created = 0
    start = utcnow() - dt.timedelta(days=3)
    for name, region, tool, theme, description in STANDING:
        if db.session.scalar(select(Room).where(Room.name == name)) is not None:
            continue
        room = Room(
            name=name,
            description=description,
            kind="standing",
            access="open",
            region=region,
            tool=tool,
            theme=theme,
            owner_id=coordinator.id,
            is_demo=True,
        )
        db.session.add(room)
        db.session.flush()
        for i, text in enumerate(rng.sample(CHAT, 7)):
            _message(room, rng.choice(people), text, start + dt.timedelta(minutes=37 * i + created * 500))
        created += 1
    created += _seed_session(rng, people, coordinator)
    db.session.flush()
    return f"{created} nye demorum"


def _seed_session(rng: random.Random, people: list[Member], coordinator: Member) -> int:
    # Prefer a case the cases feature seeded; only without any published case make a small one.
    case = db.session.scalar(
        select(Case)
        .where(Case.status != "draft", Case.is_hidden.is_(False), Case.author_id.is_not(None))
        .order_by(Case.id)
        .limit(1)
    )
    if case is None:
        case = Case(
            author_id=people[1].id,
            title=DEMO_CASE_TITLE,
            status="open",
            published_at=utcnow(),
            problem="Lærerne i teamet planlægger hver for sig (demodata).",
        )
        db.session.add(case)
        db.session.flush()
    name = f"Sparring: {case.title}"[:120]
    if db.session.scalar(select(Room).where(Room.name == name)) is not None:
        return 0
    giver = db.session.get(Member, case.author_id)
    room = Room(
        name=name,
        kind="case",
        access="open",
        case_id=case.id,
        owner_id=giver.id,
        is_demo=True,
        description="Et rum til sparring på sagen.",
    )
    db.session.add(room)
    db.session.flush()
    others = [m for m in people if m.id not in (giver.id, coordinator.id)]
    team = rng.sample(others, 3)
    observer = next(m for m in others if m not in team)
    began = utcnow() - dt.timedelta(days=1, hours=2)
    session = ReflectingSession(
        room_id=room.id,
        case_id=case.id,
        title=case.title,
        facilitator_id=coordinator.id,
        case_giver_id=giver.id,
        status="finished",
        phases=[{"key": key, "minutes": DEFAULT_MINUTES[key]} for key in PHASES],
        phase_index=len(PHASES) - 1,
        started_at=began,
        ended_at=began + dt.timedelta(minutes=55),
        next_actions=(
            "- Teamet vælger ét fælles forløb til januar.\n- Lederen giver en time fri til planlægningen."
        ),
        learnings="Gør opgaven lille nok til, at den kan lykkes. Spørg før du råder.",
        summary_saved_at=began + dt.timedelta(minutes=56),
    )
    session.participants = [SessionParticipant(member_id=m.id, role="team") for m in team] + [
        SessionParticipant(member_id=observer.id, role="observer")
    ]
    db.session.add(session)
    db.session.flush()
    for i, (phase, who, text) in enumerate(SESSION_SCRIPT):
        author = {"giver": giver, "facilitator": coordinator}.get(who) or team[i % len(team)]
        _message(room, author, text, began + dt.timedelta(minutes=4 * i), session=session, phase=phase)
    return 1


def _message(
    room: Room, author: Member, text: str, at: dt.datetime, *, session=None, phase: str = ""
) -> None:  # noqa: ANN001
    db.session.add(
        Message(
            room_id=room.id,
            author_id=author.id,
            body=text,
            created_at=at,
            client_id=str(uuid.UUID(int=random.Random(f"{room.name}{at}").getrandbits(128))),
            session_id=session.id if session else None,
            phase=phase,
        )
    )
