"""About sixty demo AL projects, composed deterministically from Danish fragments, a few with reports.

Safe to run again: projects are found by title and never duplicated. The PDF and DOCX reports are
generated here (fpdf2 and python-docx), stored like uploads, and their text extracted like uploads.
"""

import datetime as dt
import io
import random
from dataclasses import dataclass

from sqlalchemy import select

from network.db import db
from network.members.models import Member, School
from network.projects.models import ALProject

SEED = 4004


@dataclass(frozen=True)
class Theme:
    title: str  # with {place}
    tools: tuple[str, ...]
    focus: tuple[str, ...]
    problem: str
    actions: str
    experiments: str
    reflection: str
    new_actions: str
    results: str


PLACES = (
    ("på grundforløbet", "Grundforløbet"),
    ("på hovedforløbet for tømrere", "Tømrerafdelingen"),
    ("i EUX-klasserne", "EUX"),
    ("på social- og sundhedsuddannelsen", "SOSU"),
    ("på kontoruddannelsen", "Kontor"),
)

THEMES = (
    Theme(
        "Motivationen hos lærerne {place}",
        ("motivation", "leadership"),
        ("support_teachers", "appreciative"),
        "Motivationen hos lærerne er faldet efter to år med mange forandringer. Flere siger, at de løber "
        "stærkt uden at vide hvorhen, og at de savner at blive set i det daglige arbejde.",
        "Jeg begyndte at holde korte samtaler med hver lærer om, hvad der giver energi i undervisningen, "
        "og hvad der tager den.",
        "Vi afprøvede faste fagdage, hvor teamet selv planlagde indholdet, og jeg deltog som gæst.",
        "I lederteamet talte vi om, at vi havde styret for meget på detaljer og for lidt på retning. "
        "Lærerne havde brug for tillid og for at se meningen med forandringerne.",
        "Vi indfører en månedlig runde, hvor teamene fortæller om et forløb, de er stolte af.",
        "Lærerne beskriver, at de igen har lyst til at udvikle undervisningen. Sygefraværet er faldet.",
    ),
    Theme(
        "Synlig ledelse i undervisningen {place}",
        ("leadership",),
        ("visible", "role_model"),
        "Lærerne oplever, at ledelsen mest sidder på kontoret. Jeg ville være mere til stede der, hvor "
        "undervisningen foregår, uden at det føles som kontrol.",
        "Jeg satte to faste formiddage om ugen af til at være i værksteder og klasselokaler.",
        "Efter hvert besøg gav jeg en kort, anerkendende tilbagemelding og stillede ét nysgerrigt spørgsmål.",
        "Vi reflekterede over forskellen på at være synlig og at være kontrollerende. Det afgørende var, "
        "at besøgene var forudsigelige og handlede om lærernes egne spørgsmål.",
        "Besøgene udvides til også at omfatte praktikvirksomhederne.",
        "Samtalerne med lærerne er blevet mere konkrete, og jeg kender undervisningen langt bedre.",
    ),
    Theme(
        "Fastholdelse af elever i de første uger {place}",
        ("holistic", "motivation"),
        ("learning_environment", "direction"),
        "Vi mister for mange elever i de første seks uger. De falder fra, før de har mærket, hvad faget "
        "kan give dem.",
        "Vi lavede en fælles plan for de første uger med fokus på praktiske opgaver fra første dag.",
        "Hver elev fik en kontaktlærer og en samtale i uge to. Vi prøvede også makkerpar på tværs af hold.",
        "Lederteamet så, at fraværet hang sammen med usikkerhed om, hvad der forventes. Tydelige mål "
        "hjalp mere end ekstra kontrol af fremmødet.",
        "Startforløbet bliver fast, og kontaktlærerrollen beskrives i en kort guide.",
        "Frafaldet i de første uger er faldet mærkbart, og eleverne siger, at de føler sig velkomne.",
    ),
    Theme(
        "Helhedsorienteret undervisning {place}",
        ("holistic",),
        ("clear_methods", "direction"),
        "Fagene bliver undervist hver for sig, og eleverne ser ikke sammenhængen mellem teori og praksis.",
        "Jeg samlede lærerne fra de almene fag og de faglige fag om et fælles forløb.",
        "Vi afprøvede et projekt, hvor dansk og matematik blev undervist ud fra en rigtig opgave fra "
        "en virksomhed.",
        "I refleksionen blev det klart, at lærerne manglede tid til fælles planlægning, ikke vilje.",
        "Vi lægger fælles planlægningstid ind i skemaet hver anden uge.",
        "Eleverne arbejder mere selvstændigt, og lærerne beskriver et bedre samarbejde på tværs.",
    ),
    Theme(
        "Feedback mellem kolleger {place}",
        ("leadership", "progressive"),
        ("teacher_competences", "appreciative"),
        "Lærerne giver sjældent hinanden feedback på undervisningen. Erfaringer bliver hos den enkelte.",
        "Vi indførte kollegial observation i par med et enkelt observationsskema.",
        "Parrene besøgte hinanden tre gange og holdt en kort samtale efter hvert besøg.",
        "Lederteamet erfarede, at skemaet skulle være enkelt, og at ledelsen ikke skulle se det.",
        "Kollegial observation bliver en del af årsplanen for alle teams.",
        "Lærerne deler flere materialer og metoder, og flere beder selv om at blive observeret.",
    ),
    Theme(
        "Den sproglige dimension i faget {place}",
        ("language",),
        ("clear_methods", "teacher_competences"),
        "Mange elever har svært ved at læse faglige tekster og opgavebeskrivelser, og det skygger for "
        "deres faglige kunnen.",
        "Jeg bad hvert team om at udvælge de ti vigtigste fagord i deres forløb.",
        "Vi afprøvede ordkort, højtlæsning af opgaver og korte skriveøvelser i værkstedet.",
        "Vi reflekterede over, at sprog ikke kun er dansklærerens opgave. Faglærerne fik øje på deres "
        "egen rolle.",
        "Fagordslister og skriveøvelser indgår nu i alle forløb.",
        "Eleverne forstår opgaverne bedre, og færre går i stå ved det skriftlige.",
    ),
    Theme(
        "Progression og tydelige mål {place}",
        ("progressive",),
        ("direction", "clear_methods"),
        "Eleverne ved ikke, hvor de er i deres læring, og lærerne bruger målene forskelligt.",
        "Vi formulerede fælles læringsmål for hvert forløb i et sprog, eleverne forstår.",
        "Vi afprøvede en målplakat i værkstedet og korte statussamtaler hver fjortende dag.",
        "I lederteamet så vi, at tydelige mål også gjorde det lettere for os at tale med lærerne om "
        "undervisningen.",
        "Målene samles i en fælles oversigt, som også praktikstederne får.",
        "Eleverne kan nu fortælle, hvad de arbejder hen imod, og lærerne planlægger mere ens.",
    ),
    Theme(
        "Et trygt læringsmiljø for sårbare elever {place}",
        ("motivation", "holistic"),
        ("learning_environment", "appreciative"),
        "Flere elever har det psykisk svært, og lærerne føler sig alene med opgaven.",
        "Jeg etablerede et fast samarbejde med studievejlederen og en ugentlig elevkonference.",
        "Vi prøvede rolige pladser i værkstedet og en fast plan for, hvad man gør, når en elev går i stå.",
        "Refleksionen viste, at lærerne havde brug for at dele bekymringer tidligt og uden skyld.",
        "Elevkonferencen bliver fast, og vi tilbyder lærerne kursus i samtaler med sårbare unge.",
        "Lærerne føler sig mindre alene, og flere sårbare elever gennemfører forløbet.",
    ),
    Theme(
        "Refleksion i lederteamet {place}",
        ("leadership",),
        ("role_model", "direction"),
        "Vores ledermøder handler mest om drift. Der er sjældent tid til at tale om pædagogisk ledelse.",
        "Vi satte en fast halv time af på hvert ledermøde til refleksion over en konkret sag.",
        "Vi afprøvede det reflekterende team, hvor én fortæller og de andre taler om sagen bagefter.",
        "Det var svært at lytte uden at komme med løsninger, men det gav nye perspektiver.",
        "Refleksionen er nu et fast punkt, og vi skiftes til at tage en sag med.",
        "Vi træffer beslutninger med mere fælles forståelse, og vi bruger hinanden mere.",
    ),
    Theme(
        "Samarbejdet med praktikstederne {place}",
        ("holistic", "progressive"),
        ("direction", "support_teachers"),
        "Der er langt fra det, eleverne lærer på skolen, til det, de møder i praktikken.",
        "Jeg inviterede praktikvirksomhederne til et fælles morgenmøde med lærerne.",
        "Vi afprøvede fælles opgaver, som eleverne startede på skolen og afsluttede i praktikken.",
        "Vi blev klogere på, at virksomhederne gerne vil bidrage, hvis det er enkelt og konkret.",
        "Morgenmøderne holdes to gange om året, og de fælles opgaver udbygges.",
        "Eleverne ser en tydeligere sammenhæng, og virksomhederne kender skolen bedre.",
    ),
    Theme(
        "Lærernes kompetenceudvikling {place}",
        ("leadership",),
        ("teacher_competences", "support_teachers"),
        "Kompetenceudviklingen er tilfældig og følger mest den enkelte lærers ønsker.",
        "Vi lavede en fælles kompetenceplan ud fra afdelingens pædagogiske mål.",
        "Lærerne afprøvede nye metoder i små forsøg og delte erfaringerne på teammøder.",
        "Lederteamet så, at efteruddannelse virker bedst, når den bliver brugt med det samme.",
        "Planen følges op hvert halve år i medarbejdersamtalerne.",
        "Kompetenceudviklingen hænger bedre sammen med hverdagen, og lærerne bruger det, de lærer.",
    ),
    Theme(
        "Anerkendende kommunikation med eleverne {place}",
        ("motivation",),
        ("appreciative", "learning_environment"),
        "Tonen i klasserne er ofte hård, og eleverne hører mest om det, de ikke kan.",
        "Vi talte i teamene om, hvordan vi giver ros, der handler om indsats og ikke kun resultat.",
        "Lærerne afprøvede at starte hver time med at nævne noget, der lykkedes sidste gang.",
        "Refleksionen viste, at lærernes egen trivsel smitter af på tonen over for eleverne.",
        "Vi arbejder videre med anerkendelse både mellem lærere og elever og i lærerteamet.",
        "Stemningen i klasserne er bedre, og eleverne tør i højere grad spørge om hjælp.",
    ),
)

REPORTS = {  # project index -> report kind; a few projects get a generated report
    0: "pdf",
    7: "docx",
    13: "pdf",
    22: "docx",
    31: "pdf",
    44: "docx",
}


def project_specs() -> list[dict]:
    """The demo projects as plain data; the same list on every run."""
    rng = random.Random(SEED)
    specs = []
    for place_index, (place, _short) in enumerate(PLACES):
        for theme in THEMES:
            year = 2013 + (place_index + THEMES.index(theme)) % 4
            start = dt.date(year, rng.choice((1, 2, 8, 9)), 1)
            completed = year < 2016 or rng.random() < 0.3
            specs.append(
                {
                    "title": theme.title.format(place=place),
                    "tools": theme.tools,
                    "focus": theme.focus,
                    "problem": theme.problem,
                    "actions": theme.actions,
                    "experiments": theme.experiments,
                    "reflection": theme.reflection,
                    "new_actions": theme.new_actions,
                    "results": theme.results if completed else "",
                    "status": "completed" if completed else "ongoing",
                    "period_start": start,
                    "period_end": start + dt.timedelta(days=rng.randint(150, 400)) if completed else None,
                    "school_pick": rng.random(),
                    "leader_pick": rng.random(),
                }
            )
    return specs


def seed_projects() -> tuple[int, int]:
    """Create the demo projects that are missing; (total, created)."""
    from network.projects import attachments
    from network.projects import service as projects

    existing = {p.title: p for p in db.session.scalars(select(ALProject))}
    schools = list(db.session.scalars(select(School).order_by(School.id)))
    members = list(db.session.scalars(select(Member).order_by(Member.id)))
    if not members:
        return len(existing), 0
    created = 0
    for index, spec in enumerate(project_specs()):
        if spec["title"] in existing:
            continue
        school = schools[int(spec["school_pick"] * len(schools))] if schools else None
        at_school = [m for m in members if school is not None and m.school_id == school.id] or members
        leader = at_school[int(spec["leader_pick"] * len(at_school))]
        draft = projects.ProjectDraft(
            title=spec["title"],
            school_id=school.id if school else None,
            leader_ids=[leader.id],
            period_start=spec["period_start"],
            period_end=spec["period_end"],
            status=spec["status"],
            problem=spec["problem"],
            actions=spec["actions"],
            experiments=spec["experiments"],
            reflection=spec["reflection"],
            new_actions=spec["new_actions"],
            results=spec["results"],
            tools=list(spec["tools"]),
            focus_areas=list(spec["focus"]),
        )
        project = projects.create_project(leader, draft)
        kind = REPORTS.get(index)
        if kind:
            data = _report(kind, spec)
            attachments.add_attachment(leader, project, f"Slutrapport - {spec['title'][:60]}.{kind}", data)
        created += 1
    db.session.flush()
    return len(existing) + created, created


def _report_text(spec: dict) -> list[str]:
    return [
        spec["title"],
        "Baggrund: " + spec["problem"],
        "Det gjorde vi: " + spec["actions"] + " " + spec["experiments"],
        "Refleksion: " + spec["reflection"],
        "Næste skridt: " + spec["new_actions"],
        "Evaluering: Vi har brugt elevsamtaler, korte spørgeskemaer og lærernes logbøger til at følge "
        "projektet undervejs.",
    ]


def _report(kind: str, spec: dict) -> bytes:
    """A small report generated on the spot: a PDF with fpdf2 or a DOCX with python-docx."""
    paragraphs = _report_text(spec)
    if kind == "docx":
        import docx

        document = docx.Document()
        document.add_heading(paragraphs[0], level=1)
        for paragraph in paragraphs[1:]:
            document.add_paragraph(paragraph)
        out = io.BytesIO()
        document.save(out)
        return out.getvalue()
    from fpdf import FPDF

    pdf = FPDF()
    pdf.set_creation_date(dt.datetime(2016, 6, 1, tzinfo=dt.UTC))  # the same bytes on every run
    pdf.add_page()
    pdf.set_font("helvetica", size=11)
    for paragraph in paragraphs:
        # The core fonts are Latin-1: Danish letters are fine, typographic dashes are not.
        pdf.multi_cell(0, 6, paragraph.replace("–", "-"))
        pdf.ln(2)
    return bytes(pdf.output())
