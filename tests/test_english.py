"""English that is English (issue 15, §7): the main pages in English mode show no Danish word.

A coordinator walks the main pages (not the rooms, which have their own tests) in English. The
members' own content is written in English here, so any Danish word on a page is the site's.
"""

import datetime as dt
import html
import re

import pytest

from network.cases import replies
from network.cases import service as cases
from network.db import db
from network.meetups import drafts
from network.meetups import service as meetups
from network.projects import service as projects

# Common Danish words of the interface that English never uses.
DANISH = [
    "og",
    "ikke",
    "eller",
    "med",
    "til",
    "fra",
    "på",
    "af",
    "som",
    "der",
    "har",
    "kan",
    "skal",
    "vil",
    "din",
    "dit",
    "dine",
    "mine",
    "ingen",
    "alle",
    "gem",
    "slet",
    "rediger",
    "annuller",
    "tilbage",
    "søg",
    "forrige",
    "næste",
    "sider",
    "side",
    "vis",
    "skjul",
    "følg",
    "anmeld",
    "svar",
    "sager",
    "sag",
    "møde",
    "møder",
    "netværksmøder",
    "skoler",
    "medlemmer",
    "kladde",
    "kladden",
    "siden",
    "lige",
    "nu",
    "tilmeld",
    "deltagere",
    "afstemning",
    "sprog",
    "skift",
    "privatliv",
    "forside",
    "oversigt",
    "konto",
    "profil",
    "ja",
    "nej",
    "måske",
    "aflyst",
    "afsluttet",
    "gang",
    "tidspunkt",
    "adgangskode",
]
DANISH_WORD = re.compile(r"(?<![\w-])(" + "|".join(DANISH) + r")(?![\w-])", re.IGNORECASE)
ANY_DANISH_LETTER = re.compile(r"[æøåÆØÅ]")

PAGES = (
    "/",
    "/sager",
    "/sager/mine",
    "/sager/foelger",
    "/sager/ny",
    "/sager/{case}",
    "/sager/{case}/rediger",
    "/sager/moderation",
    "/projekter",
    "/projekter/nyt",
    "/projekter/{project}",
    "/netvaerksmoeder",
    "/netvaerksmoeder/kalender",
    "/netvaerksmoeder/mine",
    "/netvaerksmoeder/arkiv",
    "/netvaerksmoeder/nyt",
    "/netvaerksmoeder/{meetup}",
    "/medlemmer",
    "/medlemmer/{member}",
    "/skoler",
    "/skoler/{school}",
    "/soeg?q=absence",
    "/profil",
    "/konto",
    "/mine-data",
    "/invitationer",
    "/oversigt",
    "/privatliv",
)


def visible_text(page: str) -> str:
    """The text a reader sees: no scripts, styles, tags or attribute values."""
    page = re.sub(r"<(script|style|textarea)\b.*?</\1>", " ", page, flags=re.S | re.I)
    page = re.sub(r"<option\b[^>]*>.*?</option>", " ", page, flags=re.S | re.I)  # the language menu
    text = html.unescape(re.sub(r"<[^>]+>", " ", page))
    return text.replace("Ledernetværket", "")  # the network's name is a name


@pytest.fixture
def world(factory):
    school = factory.school("Northfield College", city="Northfield")
    coordinator = factory.coordinator(name="Carla Coordinator", school=school, title="Head of studies")
    peer = factory.member("Peter Peer", school=factory.school("Southfield College"), title="Head of studies")
    case = cases.publish_case(
        coordinator,
        None,
        cases.CaseFields(
            title="Absence on Fridays",
            problem="Many students stay away on Fridays.",
            question="How do I get the teachers on board?",
            tags="absence",
        ),
    )
    replies.add_reply(peer, case, kind="question", body="What do the teachers think?")
    start = meetups.local_datetime(dt.date.today() + dt.timedelta(days=30), dt.time(10))
    meetup = meetups.create_meetup(
        coordinator,
        drafts.MeetupDraft(
            title="Sparring about absence",
            description="We share what works.",
            host_school_id=school.id,
            address="School Road 1",
            starts_at=start,
            ends_at=start + dt.timedelta(hours=3),
            capacity=10,
        ),
    )
    project = projects.create_project(
        coordinator,
        projects.ProjectDraft(
            title="Visible leadership",
            school_id=school.id,
            problem="I want to be seen more.",
            period_start=dt.date(2014, 8, 1),
            period_end=dt.date(2015, 6, 30),
        ),
    )
    db.session.commit()
    return {
        "coordinator": coordinator,
        "case": case.id,
        "project": project.id,
        "meetup": meetup.id,
        "member": peer.id,
        "school": school.id,
    }


def test_the_main_pages_in_english_show_no_danish_word(client, auth, world):
    auth.login(world["coordinator"])
    client.post("/sprog", data={"lang": "en"})
    found = {}
    # The pages, and a form that failed: the error summary and the messages at the fields.
    visits = [(url.format(**world), None) for url in PAGES] + [("/sager/ny", {"publish": "1"})]
    for url, form in visits:
        response = client.get(url) if form is None else client.post(url, data=form)
        assert response.status_code == (200 if form is None else 422), url
        text = visible_text(response.get_data(as_text=True))
        words = sorted({m.group(0) for m in DANISH_WORD.finditer(text)})
        letters = sorted({line.strip() for line in text.splitlines() if ANY_DANISH_LETTER.search(line)})
        if words or letters:
            found[url] = words + letters
    assert found == {}, "\n".join(f"{url}: {words}" for url, words in found.items())
