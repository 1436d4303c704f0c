"""A Danish relevance set: fixed documents, queries, and the ids a good search puts in its top 5.

Written before the search learned compounds, derivations and synonyms (issue 17) and not changed
to suit it afterwards: the documents are worded as leaders write, and each query lists every
document a reader would want to see for it, judged by reading, not by running a search. Kinds:
compound, derivation, synonym, folding (ASCII spelling), typo, phrase, plain.
"""

import dataclasses

from network.search.documents import Document


def _doc(object_id: int, title: str, problem: str, body: str = "", kind: str = "project") -> Document:
    return Document(kind=kind, object_id=object_id, title=title, problem=problem, body=body)


DOCUMENTS = [
    _doc(
        1,
        "Fraværsregistrering i første lektion",
        "Vi vil have et præcist billede af, hvem der mangler om morgenen.",
        "Kontaktlæreren noterer hver morgen i første lektion, hvem der ikke er mødt. Inden klokken ni "
        "ringer vi til dem, der mangler. Efter tre måneder kan vi se et mønster, og samtalerne "
        " med eleverne er blevet mere konkrete.",
    ),
    _doc(
        2,
        "Når eleverne bliver væk fra praktikken",
        "Fraværet i skolepraktikken steg, og vi opdagede det for sent.",
        "Praktikinstruktørerne melder nu dagligt til kontoret. En elev, der ikke møder, får besked "
        "samme dag, og vi holder en samtale efter to dage uden fremmøde.",
    ),
    _doc(
        3,
        "Faste teammøder i lærerteamet",
        "Lærerteamet mødtes kun, når der var problemer.",
        "Vi har indført et fast møde hver anden uge med dagsorden og referat. Teamet vælger selv en "
        "ordstyrer, og lederen deltager en gang om måneden.",
    ),
    _doc(
        4,
        "Synlig ledelse på gangene",
        "Lærerne oplevede, at ledelsen sad på kontoret og ikke kendte hverdagen.",
        "Jeg går nu en runde i værkstederne hver formiddag og er til stede i pauserne. Lærerne siger, "
        "at ledelsen er blevet mere synlig, og at det er lettere at tage en snak i døren.",
    ),
    _doc(
        5,
        "Feedback på elevernes opgaver",
        "Eleverne læste ikke de skriftlige kommentarer.",
        "Vi giver nu mundtlig feedback i værkstedet, mens opgaven er i gang. Feedbacken er kort og "
        "peger på det næste skridt.",
    ),
    _doc(
        6,
        "Evaluering af grundforløbet",
        "Vi manglede viden om, hvad eleverne fik ud af det første forløb.",
        "Evalueringen bestod af et spørgeskema og fokusgrupper med elever fra tre hold. Resultaterne "
        "blev drøftet på et lærermøde og førte til ændringer i introduktionsugen.",
    ),
    _doc(
        7,
        "Eleverne evaluerer undervisningen hver fredag",
        "Lærerne ville gerne vide tidligere, om undervisningen ramte eleverne.",
        "Hver fredag evaluerer holdet ugen på fem minutter med tre spørgsmål på tavlen. Det, der er "
        "blevet evalueret, gennemgås mandag morgen af læreren.",
    ),
    _doc(
        8,
        "Differentieret undervisning i matematik",
        "Spredningen i elevernes niveau gjorde det svært at undervise hele holdet samlet.",
        "Lærerne tilrettelægger nu opgaver på tre niveauer, og eleverne vælger selv, hvor de starter. "
        "Undervisningen er differentieret, men holdet følges ad i de fælles gennemgange.",
    ),
    _doc(
        9,
        "Differentiering i værkstedet",
        "Nogle elever keder sig, mens andre ikke kan følge med i værkstedsopgaverne.",
        "Med differentiering af opgaverne kan de dygtigste arbejde videre med egne projekter, mens "
        "læreren bruger mere tid på dem, der har brug for hjælp.",
    ),
    _doc(
        10,
        "Kursisterne på voksenuddannelsen",
        "Voksne kursister har andre forventninger end de unge på grundforløbet.",
        "Kursisterne kommer med erfaring fra arbejdslivet. Vi har lavet et introduktionsforløb, der "
        "bygger på deres erfaring, og underviserne er blevet bedre til at bruge den i timerne.",
    ),
    _doc(
        11,
        "Sparring mellem afdelingsledere fra tre skoler",
        "Som afdelingsleder står man ofte alene med de svære beslutninger.",
        "Vi mødes online hver måned og giver hinanden sparring på en konkret sag. Den, der har sagen, "
        "lytter, mens de andre stiller spørgsmål og deler erfaringer.",
    ),
    _doc(
        12,
        "Vejledning af nye undervisere",
        "Nye undervisere fik ikke den støtte, de havde brug for i det første år.",
        "Hver ny underviser får en erfaren kollega, der observerer en lektion om måneden og bagefter "
        "giver vejledning i en fortrolig samtale.",
    ),
    _doc(
        13,
        "Skemalægning med lærernes ønsker",
        "Skemaet blev lagt sent, og lærerne havde ingen indflydelse på det.",
        "Nu indsamler vi ønsker i maj, og skemaet til august er færdigt før sommerferien. Lærerne kan "
        "se et udkast og komme med rettelser.",
    ),
    _doc(
        14,
        "Timeplanen på hovedforløbet",
        "Eleverne på hovedforløbet havde lange dage med huller i timeplanen.",
        "Vi har samlet undervisningen, så hullerne forsvandt. Den nye timeplan giver eleverne faste "
        "dage i værkstedet og faste dage med teori.",
    ),
    _doc(
        15,
        "Motiverende samtaler med elever, der overvejer at stoppe",
        "For mange elever faldt fra i de første uger.",
        "Kontaktlærerne har lært at føre motiverende samtaler. Frafaldet i de første uger er faldet, "
        "og flere elever siger, at de føler sig set.",
    ),
    _doc(
        16,
        "Elevernes motivation i første uge",
        "Den første uge var præget af information og lidt praktisk arbejde.",
        "Vi har vendt det om: eleverne laver et lille produkt allerede på første dag. Motivationen "
        "er synlig, og informationen gives undervejs.",
    ),
    _doc(
        17,
        "Kompetenceudvikling for lærerne i byggeafdelingen",
        "Lærerne savnede tid til at lære nye metoder.",
        "Hver lærer har fire dage om året til kompetenceudvikling, valgt sammen med lederen ud fra "
        "afdelingens mål.",
    ),
    _doc(
        18,
        "Udvikling af et nyt undervisningsforløb om bæredygtighed",
        "Virksomhederne efterspørger viden om bæredygtigt byggeri.",
        "Tre lærere har udviklet et forløb på fire uger. Udviklingen skete i tæt dialog med to "
        "virksomheder, som også stiller cases til rådighed.",
    ),
    _doc(
        19,
        "Trivselsundersøgelsen og hvad vi gjorde bagefter",
        "Undersøgelsen viste, at eleverne på første hold følte sig ensomme.",
        "Vi har indført faste makkerpar og fælles morgenmad om mandagen. Næste undersøgelse viser, om "
        "det har hjulpet.",
    ),
    _doc(
        20,
        "Trivsel i klassen",
        "Der var en hård tone mellem eleverne i en af klasserne.",
        "Klassen har lavet aftaler om, hvordan man taler til hinanden, og læreren følger op hver uge. "
        "Trivslen er steget, og der er færre konflikter.",
    ),
    _doc(
        21,
        "Overgangen fra grundforløb til hovedforløb",
        "Mange elever er usikre på, hvad der venter dem på hovedforløbet.",
        "Eleverne besøger hovedforløbet to gange før skiftet og møder deres kommende lærere. "
        "Overgangen er blevet mere tryg.",
    ),
    _doc(
        22,
        "Praktikpladssøgning i grupper",
        "Elever uden læreplads mistede modet, når de søgte alene.",
        "De praktikpladssøgende elever mødes to gange om ugen, skriver ansøgninger sammen og ringer "
        "til virksomheder med en lærer ved siden af.",
    ),
    _doc(
        23,
        "Klasserumsledelse for nye lærere",
        "Nye lærere bruger meget energi på uro i timerne.",
        "Et kursus i klasserumsledelse gav de nye lærere faste rutiner for starten af timen, for "
        "overgange og for afslutningen.",
    ),
    _doc(
        24,
        "Ro i klassen uden råb",
        "Larmen i en af klasserne gjorde det svært at undervise.",
        "Læreren og jeg aftalte tre enkle regler, som hænger på væggen. Vi har fulgt op i fire uger, "
        "og der er kommet mere ro.",
    ),
    _doc(
        25,
        "Mentorordning for elever i risiko",
        "Nogle elever har brug for en voksen, de kan gå til.",
        "Mentorordningen parrer en elev med en medarbejder, som eleven selv vælger. Mentoren og "
        "eleven mødes en gang om ugen.",
    ),
    _doc(
        26,
        "Læringsmål på tavlen",
        "Eleverne vidste ikke, hvad de skulle lære i en lektion.",
        "Lærerne skriver nu lektionens læringsmål på tavlen og vender tilbage til dem til sidst.",
    ),
    _doc(
        27,
        "Reflekterende team i ledergruppen",
        "Vi talte om sager uden at blive klogere.",
        "Vi bruger nu reflekterende team: en leder fremlægger, de andre taler om sagen, mens hun "
        "lytter, og til sidst svarer hun på det, der gjorde indtryk.",
    ),
    _doc(
        28,
        "Et team, der reflekterer over egen praksis",
        "Teamet i køkkenafdelingen ville blive bedre til at lære af hverdagen.",
        "Hver fredag reflekterer teamet over en situation fra ugen og skriver en ting ned, de vil "
        "prøve næste gang.",
    ),
    _doc(
        29,
        "Den sproglige dimension i fagene",
        "Elever med et svagt fagsprog faldt fra i teorien.",
        "Faglærerne arbejder med den sproglige dimension: nøgleord på tavlen, skriveskabeloner og "
        "samtaler om fagets begreber.",
    ),
    _doc(
        30,
        "Helhedsorienteret undervisning i byggefagene",
        "Teori og praksis hang ikke sammen for eleverne.",
        "Med helhedsorienteret undervisning bygger eleverne et skur fra tegning til færdigt byggeri, "
        "og matematik og dansk indgår undervejs.",
    ),
    _doc(
        31,
        "Forældresamarbejde på EUX",
        "Forældrene til de unge på EUX vidste ikke, hvordan det gik.",
        "Vi holder et forældremøde i starten af året og sender en kort status hver tredje måned. "
        "Forældrene kan også ringe til kontaktlæreren.",
    ),
    _doc(
        32,
        "Samarbejde med virksomhederne om praktik",
        "Virksomhederne følte, at skolen kun kontaktede dem, når noget var galt.",
        "Hver lærer har nu tre virksomheder, som de besøger to gange om året. Samarbejdet er blevet "
        "tættere, og flere tilbyder læreplads.",
    ),
    _doc(
        33,
        "Lærernes arbejdstid og planlægning",
        "Lærerne oplevede, at planlægningen åd deres forberedelse.",
        "Vi har lagt al fælles planlægning på én fast dag om ugen, så arbejdstiden resten af ugen går "
        "til forberedelse og undervisning.",
    ),
    _doc(
        34,
        "Opfølgning på elevsamtaler",
        "Aftaler fra elevsamtalerne blev glemt.",
        "Kontaktlæreren skriver aftalerne i elevplanen, og vi tager dem op ved næste samtale.",
    ),
    _doc(
        35,
        "Anerkendelse i personalegruppen",
        "Medarbejderne følte, at det gode arbejde ikke blev set.",
        "På hvert personalemøde fortæller en kollega om noget, en anden har gjort godt. Det er blevet "
        "lettere at sige tak og se hinanden i hverdagen.",
    ),
    _doc(
        36,
        "Inddragelse af eleverne i planlægningen",
        "Eleverne var passive modtagere af undervisningen.",
        "Holdet vælger nu selv rækkefølgen af to projekter, og inddragelsen har givet mere ejerskab.",
    ),
    _doc(
        37,
        "Sygefravær blandt medarbejderne",
        "Sygefraværet i køkkenafdelingen var dobbelt så højt som på resten af skolen.",
        "Vi har holdt samtaler med hver medarbejder og ændret vagtplanen, så ingen står alene i "
        "køkkenet om morgenen.",
    ),
    _doc(
        38,
        "Forandringsledelse i en fusion",
        "To skoler blev lagt sammen, og medarbejderne var utrygge.",
        "Vi har holdt åbne møder hver måned og svaret skriftligt på alle spørgsmål. Vi har lært, at "
        "det kræver tid og gentagelse at skabe ro.",
    ),
    _doc(
        39,
        "Tryghed i værkstedet",
        "Nye elever var bange for maskinerne.",
        "Den første uge arbejder eleverne kun med håndværktøj og får en makker fra andet år. Det har "
        "gjort dem mere trygge.",
    ),
    _doc(
        40,
        "Introduktion af nyansatte lærere",
        "Nye lærere vidste ikke, hvem de skulle spørge.",
        "Et introduktionsforløb over tre måneder med en fast kollega og to samtaler med lederen.",
    ),
    _doc(
        41,
        "Læsevejledning på grundforløbet",
        "Mange elever læser langsomt, og det går ud over teorien.",
        "Skolens læsevejleder tester alle elever i første uge og giver læsevejledning til dem, der "
        "har brug for det.",
    ),
    _doc(
        42,
        "Studievejledernes rolle i fastholdelsen",
        "Studievejlederne hørte først om elevernes problemer, når det var for sent.",
        "Studievejlederne deltager nu i teammøderne hver måned og kender eleverne, før problemerne vokser.",
    ),
    _doc(
        43,
        "Frafald på hovedforløbet",
        "Frafaldet på hovedforløbet var større end på grundforløbet.",
        "Vi har fundet ud af, at det ofte skyldes problemer i praktikken, og har lavet en aftale med "
        "virksomhederne om tidlig besked.",
    ),
    _doc(
        44,
        "Teamsamarbejde om elevplaner",
        "Hver lærer lavede sin egen plan for eleven.",
        "Teamsamarbejdet om elevplanerne betyder, at teamet laver én plan sammen og følger den op.",
    ),
    _doc(
        45,
        "Uddannelsesplaner der bliver brugt",
        "Uddannelsesplanerne lå i en mappe og blev ikke brugt.",
        "Eleven og kontaktlæreren ser på planen hver måned, og den er blevet et redskab i samtalen.",
    ),
    _doc(
        46,
        "Registrering af fremmøde på tablet",
        "Papirlisterne over fremmøde blev ofte væk.",
        "Lærerne registrerer fremmøde og fravær på en tablet i første lektion, og kontoret kan se "
        "listen med det samme.",
    ),
    _doc(
        47,
        "Motivationspædagogik i praksis",
        "Lærerne ville arbejde med værktøjet, men vidste ikke, hvor de skulle starte.",
        "Vi har valgt tre greb fra motivationspædagogikken og afprøvet dem på to hold.",
    ),
    _doc(
        48,
        "Praktisk læring i køkkenet",
        "Eleverne lærer bedst, når de står ved gryderne.",
        "Teorien om hygiejne undervises nu i køkkenet, mens eleverne laver mad.",
    ),
    _doc(
        49,
        "Kollegial observation af undervisning",
        "Lærerne så aldrig hinandens timer.",
        "To og to observerer lærerne hinanden en gang om måneden og giver feedback bagefter. "
        "Observationerne bliver drøftet i teamet.",
    ),
    _doc(
        50,
        "Læring af egne forsøg i ledergruppen",
        "Ledergruppen ville lære af egne forsøg i stedet for at købe konsulenter.",
        "Hver leder har et AL-projekt med et konkret problem fra egen praksis. Vi følger "
        "AL-cyklussen og deler erfaringerne hver anden måned.",
    ),
    _doc(
        51,
        "Netværksmøde om fastholdelse",
        "Et møde for ledere fra fire skoler om at holde på eleverne.",
        "Vi deler erfaringer med fastholdelse og aftaler, hvad vi hver især afprøver til næste gang.",
        kind="meetup",
    ),
    _doc(
        52,
        "Fastholdelsesindsats i praktikken",
        "Elever i praktik mistede kontakten til skolen.",
        "Fastholdelsesindsatsen består af et besøg fra skolen i praktikken hver sjette uge.",
    ),
    _doc(
        53,
        "Kontakt til eleverne i virksomhedsoplæringen",
        "Eleverne ude i virksomhederne følte sig glemt af skolen.",
        "Vi ringer til eleverne midt i hver oplæringsperiode og inviterer dem til et fagligt arrangement.",
    ),
    _doc(
        54,
        "Elevrådet får indflydelse",
        "Elevrådet blev ikke spurgt om noget vigtigt.",
        "Elevrådet mødes nu med ledelsen hver måned og er med til at vælge temaer for trivselsdagene.",
    ),
]


@dataclasses.dataclass(frozen=True)
class Judged:
    kind: str  # compound, derivation, synonym, folding, typo, phrase, plain
    query: str
    relevant: tuple[int, ...]  # the document ids a good search puts in its top 5, any order


QUERIES = [
    # A query word that is part of a compound in a relevant document
    Judged("compound", "fravær", (1, 2, 37, 46)),
    Judged("compound", "registrering", (1, 46)),
    Judged("compound", "fraværsregistrering", (1, 46)),
    Judged("compound", "trivsel", (19, 20, 54)),
    Judged("compound", "undersøgelse", (19,)),
    Judged("compound", "samarbejde", (31, 32, 44)),
    Judged("compound", "forældre", (31,)),
    Judged("compound", "vejledning", (12, 41)),
    Judged("compound", "elevplaner", (44, 34)),
    Judged("compound", "teamsamarbejde", (44,)),
    Judged("compound", "ledelse af forandringer", (38,)),
    Judged("compound", "udvikling", (18, 17)),
    # Derivations that Snowball leaves apart
    Judged("derivation", "evaluering", (6, 7)),
    Judged("derivation", "evaluere", (6, 7)),
    Judged("derivation", "differentiering", (8, 9)),
    Judged("derivation", "differentieret undervisning", (8, 9)),
    Judged("derivation", "synlighed", (4,)),
    Judged("derivation", "motiverende", (15, 16, 47)),
    Judged("derivation", "anerkende", (35,)),
    Judged("derivation", "inddrage eleverne", (36,)),
    Judged("derivation", "observere undervisning", (49,)),
    Judged("derivation", "vejlede nye undervisere", (12,)),
    # The network's own near-synonyms
    Judged("synonym", "elever på voksenuddannelsen", (10,)),
    Judged("synonym", "sparring", (11, 12)),
    Judged("synonym", "skema", (13, 14)),
    Judged("synonym", "timeplan", (13, 14)),
    Judged("synonym", "udeblivelse", (1, 2, 46)),
    Judged("synonym", "dropout", (15, 43)),
    Judged("synonym", "aktionslæring", (50,)),
    Judged("synonym", "oplæring", (53, 52, 2)),
    # ASCII spelling of æ, ø, å
    Judged("folding", "laerer arbejdstid", (33,)),
    Judged("folding", "fravaer", (1, 2, 37, 46)),
    Judged("folding", "trivselsundersoegelse", (19,)),
    Judged("folding", "laeringsmaal", (26,)),
    Judged("folding", "overgang til hovedforloeb", (21,)),
    # A misspelled word
    Judged("typo", "klasserumsledelsse", (23,)),
    Judged("typo", "motivasion", (15, 16, 47)),
    Judged("typo", "fastholdesle", (51, 42, 52)),
    Judged("typo", "evalurering", (6, 7)),
    Judged("typo", "mentorordnig", (25,)),
    Judged("typo", "praktikpladsøgning", (22,)),
    # Phrases
    Judged("phrase", '"reflekterende team"', (27,)),
    Judged("phrase", '"den sproglige dimension"', (29,)),
    Judged("phrase", '"helhedsorienteret undervisning"', (30,)),
    # Plain queries
    Judged("plain", "ro i klassen", (24,)),
    Judged("plain", "frafald hovedforløb", (43,)),
    Judged("plain", "nye lærere", (40, 23, 12)),
    Judged("plain", "forandringsledelse", (38,)),
    Judged("plain", "feedback", (5, 49)),
    Judged("plain", "tryghed værkstedet", (39,)),
]
