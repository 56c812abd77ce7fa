"""Opt-in packs laid over a language pack: historical French over French, and so on.

An opt-in pack is a folder ``geomap/lang/<name>/`` whose name holds a ``-``
(``fr-hist``) and whose ``meta.json`` names the pack it ``extends``. Its
sections hold some keys of that pack: a list is added to the base list, any
other value replaces the base value. Opt-in packs are off unless asked for.

>>> from geomap.lang.overlay import merged_section, opt_in_packs
>>> opt_in_packs()
('fr-hist',)
>>> "&" in merged_section("fr", "recognise", ("fr-hist",))["entity_coordinators"]
True
>>> "&" in merged_section("fr", "recognise")["entity_coordinators"]
False
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache
from importlib import resources
from typing import Any

from ..errors import UnknownOption, options_message
from . import language_pack

__all__ = ["merged_section", "opt_in_packs", "check_packs"]


@lru_cache(maxsize=1)
def opt_in_packs() -> tuple[str, ...]:
    """List the opt-in packs shipped with geomap, sorted.

    Returns
    -------
    tuple of str
        Folder names under ``geomap/lang`` that contain a ``-``.
    """
    root = resources.files("geomap.lang")
    return tuple(sorted(p.name for p in root.iterdir()
                        if p.is_dir() and "-" in p.name and not p.name.startswith((".", "_"))))


def check_packs(packs: Sequence[str]) -> tuple[str, ...]:
    """Validate opt-in pack names.

    Parameters
    ----------
    packs : sequence of str
        Names such as ``"fr-hist"``.

    Returns
    -------
    tuple of str
        The same names, as a tuple.

    Raises
    ------
    UnknownOption
        For a name that is no opt-in pack; the message lists them.
    """
    for name in packs:
        if name not in opt_in_packs():
            raise UnknownOption(options_message("language pack", name, list(opt_in_packs())))
    return tuple(packs)


@lru_cache(maxsize=64)
def merged_section(lang: str, section: str, packs: tuple[str, ...] = ()) -> dict[str, Any]:
    """One section of a language pack with the opt-in packs for that language laid over it.

    Parameters
    ----------
    lang : str
        A language code (see :func:`geomap.lang.languages`).
    section : str
        A section name (the stem of a JSON file of the pack).
    packs : tuple of str
        Opt-in packs; those that extend another language are left out.

    Returns
    -------
    dict
        The merged section (a fresh dict; the packs are not changed).
    """
    data = dict(language_pack(lang).section(section))
    for name in check_packs(packs):
        pack = language_pack(name)
        if pack.get("meta", "extends") != lang or section not in pack.sections:
            continue
        for key, value in pack.section(section).items():
            if key.startswith("_"):
                continue
            if key not in data:
                raise UnknownOption(options_message(
                    f"key of section '{section}' in opt-in pack '{name}'", key,
                    sorted(k for k in data if not k.startswith("_"))))
            base = data[key]
            data[key] = [*base, *(v for v in value if v not in base)] \
                if isinstance(base, list) else value
    return data
