"""Each feature says what it holds about a member: how to export it and how to erase it.

A feature registers an exporter (member -> JSON-able data, plus files) and an eraser
(member, mode) -> None; `mode` is "remove" (delete what the member wrote) or "anonymise"
(keep it, credited to "Tidligere medlem"). Erasers run in one transaction, before the member
row itself is deleted.
"""

from __future__ import annotations

import dataclasses
import typing as t
from pathlib import Path

if t.TYPE_CHECKING:  # the registry is below every feature, members too (docs/architecture.md)
    from network.members.models import Member


@dataclasses.dataclass
class Export:
    data: t.Any
    files: dict[str, Path] = dataclasses.field(default_factory=dict)  # name in the zip -> file


Exporter = t.Callable[["Member"], Export]
Eraser = t.Callable[["Member", str], None]

FORMER_MEMBER = "Tidligere medlem"

EXPORTERS: dict[str, Exporter] = {}
ERASERS: dict[str, Eraser] = {}


def exporter(name: str) -> t.Callable[[Exporter], Exporter]:
    """Register what a feature exports for "Mine data" under `name`."""

    def register(function: Exporter) -> Exporter:
        EXPORTERS[name] = function
        return function

    return register


def eraser(name: str) -> t.Callable[[Eraser], Eraser]:
    """Register how a feature erases a member's data when the account is deleted."""

    def register(function: Eraser) -> Eraser:
        ERASERS[name] = function
        return function

    return register


def replacements_for(member: Member) -> list[tuple[str, str]]:
    """What replaces an erased member in texts that stay: their e-mail, and their full name.

    Only a full name is specific enough to replace in free text ("Bo" would hit "Bordet").
    """
    replacements = [(member.email, "…")]
    name = member.name.strip()
    if " " in name and len(name) >= 6:
        replacements.append((name, FORMER_MEMBER))
    return replacements
