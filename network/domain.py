"""The network's fixed vocabulary (docs/architecture.md, "Domain words"), shared by every feature.

Values are stable slugs stored in the database; labels are Danish msgids marked for translation.
"""

import typing as t

from flask_babel import lazy_gettext as _l
from wtforms.fields.choices import SelectChoice

TOOLS: dict[str, str] = {
    "motivation": _l("Motivationspædagogik"),
    "holistic": _l("Helhedsorienteret undervisning"),
    "progressive": _l("Progressiv læring"),
    "language": _l("Den sproglige dimension"),
    "leadership": _l("Pædagogisk ledelse"),
}

FOCUS_AREAS: dict[str, str] = {
    "role_model": _l("Jeg er rollemodel"),
    "direction": _l("Jeg sikrer retning"),
    "clear_methods": _l("Jeg sikrer tydelige pædagogiske metodevalg"),
    "appreciative": _l("Jeg kommunikerer anerkendende"),
    "learning_environment": _l("Jeg sikrer et positivt læringsmiljø"),
    "visible": _l("Jeg er synlig"),
    "teacher_competences": _l("Jeg sikrer relevante lærerkompetencer"),
    "support_teachers": _l("Jeg støtter lærerne"),
}

EDUCATION_AREAS: dict[str, str] = {
    "care": _l("Omsorg, sundhed og pædagogik"),
    "office": _l("Kontor, handel og forretningsservice"),
    "food": _l("Fødevarer, jordbrug og oplevelser"),
    "technology": _l("Teknologi, byggeri og transport"),
    "eux": _l("EUX"),
    "foundation": _l("Grundforløb"),
}

REGIONS: dict[str, str] = {
    "hovedstaden": _l("Region Hovedstaden"),
    "sjaelland": _l("Region Sjælland"),
    "syddanmark": _l("Region Syddanmark"),
    "midtjylland": _l("Region Midtjylland"),
    "nordjylland": _l("Region Nordjylland"),
}

SCHOOL_TYPES: dict[str, str] = {
    "model": _l("Modelskole"),
    "implementation": _l("Implementeringsskole"),
    "other": _l("Anden skole"),
}

# Reflective questions first: the programme's way of giving sparring.
REPLY_KINDS: dict[str, str] = {
    "question": _l("Et reflekterende spørgsmål"),
    "experience": _l("En erfaring fra min egen praksis"),
    "suggestion": _l("Et forslag"),
}

EMAIL_FREQUENCIES: dict[str, str] = {
    "event": _l("En e-mail for hver begivenhed"),
    "daily": _l("Én samlet e-mail om dagen"),
    "weekly": _l("Én samlet e-mail om ugen"),
    "never": _l("Ingen e-mails – kun klokken her på siden"),
}

ROLES: dict[str, str] = {
    "member": _l("Medlem"),
    "coordinator": _l("Koordinator"),
    "admin": _l("Administrator"),
}


def choices(vocabulary: t.Mapping[t.Any, t.Any], blank: t.Any = None) -> list[SelectChoice]:
    """WTForms choices from a vocabulary (value -> label), optionally led by a blank option.

    The blank option's value is "" for text values and 0 for ids.
    """
    options = [SelectChoice(value, label) for value, label in vocabulary.items()]
    if blank is None:
        return options
    blank_value = 0 if vocabulary and isinstance(next(iter(vocabulary)), int) else ""
    return [SelectChoice(blank_value, blank), *options]
