# ruff: noqa: E501 - demo text reads better one sentence per line
"""Demo cases: about forty invented dilemmas in Danish, with replies of every kind.

Deterministic (a seeded generator) and idempotent: a case is only created when its author has no
case with that title yet.
"""

import datetime as dt
import random

from sqlalchemy import select

from network.cases.models import AL_STAGES, Case, CaseFollow, Reply
from network.db import db, utcnow
from network.members.models import Member
from network.search import outbox

SEED = 3

# (title, problem, question, tools, focus areas, tags)
DILEMMAS = (
    (
        "Fredagsfravær på grundforløbet",
        "Hver fredag mangler en tredjedel af eleverne på grundforløbet, og lærerne er begyndt at planlægge efter det.",
        "Hvordan bryder jeg vanen uden at gøre fredagen til en straf?",
        ["motivation"],
        ["learning_environment"],
        "fravær, grundforløb",
    ),
    (
        "Et team, der ikke deler materialer",
        "Lærerne i mit team laver hver deres forløb fra bunden og deler næsten intet.",
        "Hvordan gør jeg videndeling til noget, lærerne selv får værdi af?",
        ["leadership"],
        ["support_teachers"],
        "videndeling, teamsamarbejde",
    ),
    (
        "Jeg når aldrig ud i undervisningen",
        "Min kalender er fyldt med møder, og jeg har ikke set undervisning i to måneder.",
        "Hvordan prioriterer andre ledere tiden i klasserummet?",
        ["leadership"],
        ["visible"],
        "synlighed, prioritering",
    ),
    (
        "Nye lærere fra branchen",
        "Vi ansætter dygtige håndværkere, men mange kæmper med klasseledelse det første halve år.",
        "Hvordan kan vi tage bedre imod dem pædagogisk?",
        ["progressive"],
        ["teacher_competences"],
        "introduktion, nye lærere",
    ),
    (
        "Helhedsorienteret undervisning på tværs af fag",
        "Dansk og fagteori kører stadig hver for sig, selvom vi har besluttet at arbejde helhedsorienteret.",
        "Hvad skal der til, før lærerne planlægger sammen for alvor?",
        ["holistic"],
        ["clear_methods"],
        "tværfaglighed, planlægning",
    ),
    (
        "Sproget i værkstedet",
        "Mange elever har svært ved fagbegreberne, og det går ud over både teori og praksis.",
        "Hvordan får faglærerne den sproglige dimension ind i værkstedet uden at det bliver en ekstra opgave?",
        ["language"],
        ["clear_methods"],
        "fagsprog, læsning",
    ),
    (
        "En erfaren lærer, der siger fra",
        "En af mine mest erfarne lærere afviser den nye måde at tilrettelægge på og trækker andre med.",
        "Hvordan bruger jeg modstanden konstruktivt?",
        ["leadership"],
        ["appreciative", "direction"],
        "modstand, forandring",
    ),
    (
        "Feedback der ikke bliver læst",
        "Lærerne bruger mange timer på skriftlig feedback, men eleverne læser den ikke.",
        "Hvordan kan feedback blive en del af undervisningen i stedet for et vedhæng?",
        ["progressive"],
        ["learning_environment"],
        "feedback, evaluering",
    ),
    (
        "Elever der falder fra i overgangen",
        "Vi mister elever mellem grundforløb og hovedforløb, især dem uden praktikplads.",
        "Hvordan kan vi som ledere holde bedre fast i dem?",
        ["motivation"],
        ["direction"],
        "frafald, overgange",
    ),
    (
        "Tydelige mål for hvert forløb",
        "Eleverne kan sjældent sige, hvad de skal lære i et forløb.",
        "Hvordan gør vi målene synlige uden at drukne i skemaer?",
        ["progressive"],
        ["clear_methods"],
        "læringsmål",
    ),
    (
        "Ledelsesteamet taler forbi hinanden",
        "Vi er fire ledere, der hver især har vores egen forståelse af, hvad god undervisning er.",
        "Hvordan får vi et fælles sprog i ledelsesteamet?",
        ["leadership"],
        ["direction", "role_model"],
        "ledelsesteam, fælles sprog",
    ),
    (
        "Observation føles som kontrol",
        "Jeg vil gerne observere undervisning, men lærerne oplever det som kontrol.",
        "Hvordan rammesætter jeg observation, så det bliver sparring?",
        ["leadership"],
        ["visible", "appreciative"],
        "observation, tillid",
    ),
    (
        "Motivation hos voksne elever",
        "Vores voksenelever har travlt og et andet forhold til skolen end de unge.",
        "Hvilke greb fra motivationspædagogikken virker for voksne?",
        ["motivation"],
        ["learning_environment"],
        "voksne elever, motivation",
    ),
    (
        "Når en lærer går ned med stress",
        "En lærer er sygemeldt med stress, og teamet er presset af at dække ind.",
        "Hvordan passer jeg på teamet uden at lægge skyld på nogen?",
        ["leadership"],
        ["support_teachers"],
        "arbejdsmiljø, stress",
    ),
    (
        "EUX-elever der keder sig i værkstedet",
        "EUX-eleverne synes, den praktiske del er for let, mens andre elever synes, den er for svær.",
        "Hvordan differentierer vi uden at dele holdet?",
        ["holistic", "progressive"],
        ["clear_methods"],
        "eux, differentiering",
    ),
    (
        "Digitale platforme ingen bruger",
        "Vi har indført en ny læringsplatform, men lærerne bruger den kun til at lægge fraværssedler.",
        "Hvordan får vi den til at understøtte det pædagogiske?",
        ["leadership"],
        ["teacher_competences"],
        "digitalisering",
    ),
    (
        "En klasse med dårlig stemning",
        "En hovedforløbsklasse har en hård tone, og to elever er blevet holdt udenfor.",
        "Hvordan støtter jeg lærerne i at vende stemningen?",
        ["motivation"],
        ["learning_environment", "support_teachers"],
        "klassemiljø, trivsel",
    ),
    (
        "Lærerne ønsker mere ledelse",
        "I en trivselsmåling siger lærerne, at de savner retning fra ledelsen.",
        "Hvad betyder det egentlig, og hvordan spørger jeg ind til det?",
        ["leadership"],
        ["direction"],
        "retning, trivselsmåling",
    ),
    (
        "Praktikvirksomhederne vil noget andet",
        "Virksomhederne efterspørger andre kompetencer end dem, vi træner på skolen.",
        "Hvordan bygger vi bro mellem skole og praktik?",
        ["holistic"],
        ["direction"],
        "praktik, samarbejde",
    ),
    (
        "At lede tidligere kolleger",
        "Jeg er blevet leder for det team, jeg selv var en del af.",
        "Hvordan finder jeg min rolle uden at miste relationerne?",
        ["leadership"],
        ["role_model"],
        "ny leder, rolle",
    ),
    (
        "Læsning på grundforløbet",
        "Flere elever læser så langsomt, at de ikke kan følge med i teorien.",
        "Hvordan organiserer vi læsestøtte, som eleverne ikke oplever som nederlag?",
        ["language"],
        ["learning_environment"],
        "læsning, støtte",
    ),
    (
        "Teammøder uden indhold",
        "Vores teammøder handler mest om skema og praktiske beskeder.",
        "Hvordan får vi pædagogik på dagsordenen?",
        ["leadership"],
        ["support_teachers", "clear_methods"],
        "teammøder",
    ),
    (
        "Anerkendelse der virker påtaget",
        "Jeg forsøger at være anerkendende, men det føles som en teknik, og det tror jeg, lærerne mærker.",
        "Hvordan bliver anerkendelse ægte i en travl hverdag?",
        ["leadership"],
        ["appreciative"],
        "anerkendelse, kommunikation",
    ),
    (
        "Progression fra første til sidste skoleperiode",
        "Eleverne møder de samme opgavetyper gennem hele uddannelsen.",
        "Hvordan planlægger vi en tydelig progression på tværs af lærere?",
        ["progressive"],
        ["clear_methods"],
        "progression, planlægning",
    ),
    (
        "Lærere med meget forskellig erfaring",
        "I mit team sidder både lærere med tredive års erfaring og helt nye.",
        "Hvordan bruger jeg forskellen som en styrke?",
        ["leadership"],
        ["teacher_competences"],
        "mentorordning, erfaring",
    ),
    (
        "Elever der ikke tror på sig selv",
        "Mange elever har dårlige skoleoplevelser med sig og giver op ved første modgang.",
        "Hvordan arbejder lærerne med elevernes selvtillid i hverdagen?",
        ["motivation"],
        ["learning_environment"],
        "selvtillid, motivation",
    ),
    (
        "Sparring mellem ledere på tværs af afdelinger",
        "Vi ledere sidder hver i vores afdeling og søger sjældent råd hos hinanden.",
        "Hvordan skaber vi en kultur, hvor vi sparrer med hinanden?",
        ["leadership"],
        ["role_model"],
        "sparring, ledelseskultur",
    ),
    (
        "Sprog og matematik i samme opgave",
        "Eleverne kan regne, men forstår ikke tekstopgaverne.",
        "Hvordan samarbejder dansk- og matematiklærerne om det?",
        ["language", "holistic"],
        ["clear_methods"],
        "matematik, fagsprog",
    ),
    (
        "Skemaet styrer pædagogikken",
        "Vores skemalægning gør det næsten umuligt at arbejde i længere forløb.",
        "Hvordan får pædagogikken lov at styre skemaet i stedet?",
        ["holistic"],
        ["direction"],
        "skema, organisering",
    ),
    (
        "En svær samtale med en lærer",
        "Jeg skal tale med en lærer om gentagne klager fra elever, og jeg er usikker på, hvordan jeg griber det an.",
        "Hvordan holder jeg samtalen både klar og respektfuld?",
        ["leadership"],
        ["appreciative", "support_teachers"],
        "svære samtaler",
    ),
    (
        "Elevinddragelse i planlægningen",
        "Eleverne bliver ikke spurgt om noget, før evalueringen til sidst.",
        "Hvordan inddrager vi eleverne undervejs uden at det bliver pseudo?",
        ["motivation"],
        ["learning_environment"],
        "elevinddragelse",
    ),
    (
        "Aktionslæring der går i stå",
        "Vores aktionslæringsprojekt startede godt, men efter to måneder er der ingen, der har tid.",
        "Hvordan holder vi liv i projektet?",
        ["leadership"],
        ["direction"],
        "aktionslæring, forankring",
    ),
    (
        "At være rollemodel for forandring",
        "Jeg beder lærerne prøve nye metoder, men jeg prøver ikke selv noget nyt.",
        "Hvordan går jeg selv forrest?",
        ["leadership"],
        ["role_model"],
        "forandring, rollemodel",
    ),
    (
        "Holddeling efter niveau",
        "Nogle lærere ønsker niveaudeling, andre mener, det stigmatiserer.",
        "Hvordan træffer vi en beslutning, som begge grupper kan stå på mål for?",
        ["progressive"],
        ["direction", "clear_methods"],
        "niveaudeling, beslutninger",
    ),
    (
        "Kompetenceudvikling der ikke bliver brugt",
        "Lærerne kommer hjem fra kurser fulde af idéer, men hverdagen æder dem.",
        "Hvordan sikrer vi, at ny viden bliver brugt i undervisningen?",
        ["leadership"],
        ["teacher_competences"],
        "kompetenceudvikling",
    ),
    (
        "To-sprogede elever i praktikken",
        "Vores to-sprogede elever klarer skolen, men får kritik for sproget i praktikken.",
        "Hvordan forbereder vi dem bedre sammen med virksomhederne?",
        ["language"],
        ["support_teachers"],
        "praktik, andetsprog",
    ),
    (
        "Synlig ledelse på flere matrikler",
        "Jeg leder afdelinger på to adresser og er altid det forkerte sted.",
        "Hvordan er man synlig, når man ikke kan være to steder?",
        ["leadership"],
        ["visible"],
        "synlighed, matrikler",
    ),
    (
        "Helhedsforløb der bliver for store",
        "Vores første helhedsforløb blev så stort, at lærerne brændte ud undervejs.",
        "Hvordan skalerer vi ned uden at miste idéen?",
        ["holistic"],
        ["support_teachers"],
        "helhedsforløb",
    ),
    (
        "Eleverne vil have facit",
        "Når lærerne stiller åbne opgaver, beder eleverne bare om det rigtige svar.",
        "Hvordan træner vi eleverne i at tåle ikke at vide?",
        ["progressive", "motivation"],
        ["learning_environment"],
        "undersøgende undervisning",
    ),
    (
        "Kollegial supervision",
        "Vi vil gerne indføre kollegial supervision, men lærerne er usikre på, hvad det kræver.",
        "Hvordan kommer vi godt i gang?",
        ["leadership"],
        ["support_teachers", "teacher_competences"],
        "supervision, sparring",
    ),
)

CONTEXTS = (
    "Det drejer sig om tre hold og et team på fem lærere.",
    "Afdelingen har haft mange udskiftninger i lærergruppen de sidste to år.",
    "Vi er en mellemstor skole, og ledelsesteamet er forholdsvis nyt.",
    "Problemet er blevet tydeligere efter sommerferien.",
    "Lærerne er engagerede, men presset på tid er stort.",
    "Vi har tidligere prøvet at løse det centralt, uden held.",
)
TRIED = (
    "Jeg har taget det op på et teammøde, men samtalen gik hurtigt i stå.",
    "Vi har lavet en fælles aftale, som ingen rigtig følger.",
    "Jeg har talt med de enkelte lærere hver for sig.",
    "Vi har prøvet et kort forsøg på ét hold, med blandede erfaringer.",
    "",
)
REPLIES = {
    "question": (
        "Hvad ville lærerne selv sige, problemet er, hvis du spurgte dem åbent?",
        "Hvordan ser det ud, når det lykkes – bare en enkelt dag?",
        "Hvem i teamet har allerede gode erfaringer, som du kunne bygge videre på?",
        "Hvad er det, du selv er mest i tvivl om her?",
        "Hvis du kun måtte ændre én ting i næste uge, hvad skulle det så være?",
        "Hvad sker der, hvis du ikke gør noget?",
    ),
    "experience": (
        "Hos os hjalp det at starte meget småt med ét hold og to lærere, der havde lyst.",
        "Vi havde samme udfordring sidste år. Det vendte, da lærerne selv fik lov at formulere målet.",
        "Jeg prøvede at løse det alene og lærte, at det skulle have været et fælles projekt fra begyndelsen.",
        "Det, der virkede for os, var faste korte møder hver fjortende dag med ét fokus ad gangen.",
    ),
    "suggestion": (
        "Måske kunne du invitere en kollega fra en anden skole til at observere og give et udefra-blik.",
        "Prøv at lade teamet afprøve noget i fire uger og så evaluere sammen, før I beslutter mere.",
        "Overvej at bruge det reflekterende team på et af jeres møder – det giver ro til at lytte.",
        "Lav en enkel aftale om, hvad I vil se efter, og følg op på den på næste teammøde.",
    ),
}
SUMMARIES = (
    "Vi startede i det små med ét hold. Det gav erfaringer, som de andre lærere blev nysgerrige på, og nu er hele teamet med.",
    "Samtalen med teamet blev vendepunktet. Jeg lærte at spørge mere og foreslå mindre.",
    "Det lykkedes kun delvist, men vi har nu et fælles sprog for problemet og en plan for næste skoleår.",
    "Sparringen her fik mig til at se, at jeg selv var en del af problemet. Da jeg ændrede min egen praksis, fulgte lærerne med.",
)
LOGIN_CASES = (1, 4, 14)  # an open, a closed and an in-progress case for the demo login
DRAFT_TITLE = "Når teamet ikke vil evaluere"
DRAFT_PROBLEM = "Vi aftaler evalueringer efter hvert forløb, men de bliver aldrig til noget. Jeg er ikke færdig med at beskrive det endnu."
STATUS_CYCLE = ("open", "open", "in_progress", "follow_up", "closed", "open", "in_progress", "closed")
VISIBILITY_CYCLE = ("named", "named", "school_hidden", "anonymous", "named")


def seed_cases(members: list[Member]) -> int:
    """Create the demo cases among the demo members; returns how many were new."""
    rng = random.Random(SEED)
    people = sorted((m for m in members if m.is_demo), key=lambda m: m.email)
    if len(people) < 5:
        return 0
    now = utcnow()
    created = 0
    # The demo member login (the one member with a password) owns a few cases and a draft,
    # so "Mine sager" shows something to whoever tries the demo.
    login = next((p for p in people if p.password_hash and p.role == "member"), None)
    for index, (title, problem, question, tools, focus, tags) in enumerate(DILEMMAS):
        author = people[rng.randrange(len(people))]
        if login is not None and index in LOGIN_CASES:
            author = login
        repliers = rng.sample([p for p in people if p.id != author.id], 4)
        age = dt.timedelta(days=rng.randint(2, 160), hours=rng.randint(0, 23))
        reply_count = rng.choice((0, 1, 2, 3, 3, 4))
        # Every random draw happens before the existence check, so a second run draws the same.
        context, tried, summary = rng.choice(CONTEXTS), rng.choice(TRIED), rng.choice(SUMMARIES)
        kinds = ["question", "experience", "suggestion", "question"]
        bodies = [rng.choice(REPLIES[kind]) for kind in kinds]
        exists = db.session.scalar(select(Case.id).where(Case.author_id == author.id, Case.title == title))
        if exists is not None:
            continue
        status = STATUS_CYCLE[index % len(STATUS_CYCLE)]
        published = now - age
        case = Case(
            author=author,
            title=title,
            problem=problem,
            context=context,
            tried=tried,
            question=question,
            al_stage=AL_STAGES[index % len(AL_STAGES)],
            visibility=VISIBILITY_CYCLE[index % len(VISIBILITY_CYCLE)],
            status=status,
            created_at=published - dt.timedelta(hours=2),
            published_at=published,
            last_activity_at=published,
        )
        case.tools, case.focus_areas = tools, focus
        case.tags = [t.strip() for t in tags.split(",")]
        db.session.add(case)
        db.session.flush()
        db.session.add(CaseFollow(case_id=case.id, member_id=author.id, created_at=published))
        for number in range(reply_count):
            kind = kinds[number]
            at = published + dt.timedelta(hours=6 * (number + 1))
            reply = Reply(case=case, author=repliers[number], kind=kind, body=bodies[number], created_at=at)
            if number == 0 and status in ("in_progress", "follow_up", "closed"):
                reply.helpful_at = at + dt.timedelta(hours=3)
            db.session.add(reply)
            case.last_activity_at = min(at, now)
        if status == "closed":
            case.learning_summary = summary
            case.closed_at = min(published + dt.timedelta(days=30), now)
        outbox.enqueue("case", case.id)
        created += 1
    if login is not None and not db.session.scalar(
        select(Case.id).where(Case.author_id == login.id, Case.title == DRAFT_TITLE)
    ):
        draft = Case(
            author=login, title=DRAFT_TITLE, problem=DRAFT_PROBLEM, status="draft", draft_saved_at=now
        )
        db.session.add(draft)
        created += 1
    db.session.flush()
    return created
