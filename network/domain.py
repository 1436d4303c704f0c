"""The network's fixed vocabulary (DESIGN.md §3), shared by every feature.

Values are stable slugs stored in the database; labels are Danish msgids marked for translation.
"""

from flask_babel import lazy_gettext as _l

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

ROLES: dict[str, str] = {
    "member": _l("Medlem"),
    "coordinator": _l("Koordinator"),
    "admin": _l("Administrator"),
}


def choices(vocabulary: dict[str, str]) -> list[tuple[str, str]]:
    """Turn a vocabulary into WTForms choices, translated at render time."""
    return list(vocabulary.items())
