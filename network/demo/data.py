"""Reading the demo network's data files (``network/demo/data/<kind>.toml``) into dataclasses.

One file per kind of thing, so a later feature adds its demo content as a new file and a new step.
"""

import dataclasses
import tomllib
import typing as t
from importlib import resources

Spec = t.TypeVar("Spec")


class DemoDataError(ValueError):
    """A data file says something the demo cannot build: a typo in a key, an unknown reference."""


def load(kind: str) -> dict[str, t.Any]:
    """The parsed ``data/<kind>.toml``."""
    text = (resources.files(__package__) / "data" / f"{kind}.toml").read_text(encoding="utf-8")
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise DemoDataError(f"data/{kind}.toml: {error}") from error


def entries(kind: str, table: str, spec: type[Spec]) -> list[Spec]:
    """Every ``[[table]]`` of ``data/<kind>.toml`` as a ``spec`` dataclass."""
    return [build(spec, raw, f"data/{kind}.toml, {table} {n}") for n, raw in enumerate(load(kind)[table], 1)]


def build(spec: type[Spec], raw: t.Mapping[str, t.Any], where: str) -> Spec:
    """One dataclass from one TOML table; an unknown or missing key names the file and the entry."""
    known = {field.name for field in dataclasses.fields(spec)}  # type: ignore[arg-type]
    unknown = sorted(set(raw) - known)
    if unknown:
        raise DemoDataError(f"{where}: unknown key {', '.join(unknown)}")
    try:
        return spec(**raw)
    except TypeError as error:
        raise DemoDataError(f"{where}: {error}") from error


def all_texts() -> dict[str, str]:
    """Every data file's text by name: what the tests read for words the demo must not use."""
    folder = resources.files(__package__) / "data"
    return {f.name: f.read_text(encoding="utf-8") for f in folder.iterdir() if f.name.endswith(".toml")}
