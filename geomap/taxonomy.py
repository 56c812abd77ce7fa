"""The event-type registry and its mappings to ACLED, PLOVER and CAMEO.

Types are registered once, by a decorator-style function that refuses
duplicates; triggers per language are data files under ``geomap/data/triggers``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from .errors import UnknownOption, options_message

__all__ = ["EventType", "EVENT_TYPES", "register", "get_type", "parse_types", "ACLED_ORDER",
           "acled_codes", "plover_codes", "ACLED_SUB_EVENTS", "FAMILIES", "family_of"]


@dataclass(frozen=True, slots=True)
class EventType:
    """An event type with its codes in the standards analysts use.

    Attributes
    ----------
    name : str
        geomap's name (``armed_clash``).
    label : str
        For people (legends, popups).
    acled_event_type, acled_sub_event_type : str
        The ACLED event type and its default sub-event type; empty where ACLED has none.
    plover_event, plover_mode : str
        The PLOVER event category and mode.
    cameo : str
        The CAMEO code.
    colour, icon : str
        How the map draws it.
    """

    name: str
    label: str
    acled_event_type: str
    acled_sub_event_type: str
    plover_event: str
    plover_mode: str
    cameo: str
    colour: str
    icon: str


EVENT_TYPES: dict[str, EventType] = {}


def register(event_type: EventType) -> EventType:
    """Add ``event_type`` to the registry; a second one of the same name is refused.

    Parameters
    ----------
    event_type : EventType

    Returns
    -------
    EventType
        ``event_type``, unchanged.

    Raises
    ------
    ValueError
        A type of that name is already registered.
    """
    if event_type.name in EVENT_TYPES:
        raise ValueError(f"event type '{event_type.name}' is already registered")
    EVENT_TYPES[event_type.name] = event_type
    return event_type


def get_type(name: str) -> EventType:
    """Return the registered type called ``name``.

    Parameters
    ----------
    name : str

    Returns
    -------
    EventType

    Raises
    ------
    UnknownOption
        No such type; the message lists the types.

    Examples
    --------
    >>> get_type("protest").cameo
    '14'
    >>> get_type("riots")
    Traceback (most recent call last):
    ...
    geomap.errors.UnknownOption: unknown event type 'riots'; options are: armed_clash, ...
    """
    try:
        return EVENT_TYPES[name]
    except KeyError as err:
        raise UnknownOption(options_message("event type", name, EVENT_TYPES)) from err


def parse_types(spec: str | Sequence[str] | None) -> frozenset[str] | None:
    """Turn ``"armed_clash,protest"`` (or a list) into a checked set; ``None`` means all.

    Parameters
    ----------
    spec : str, sequence of str or None
        Comma-separated type names, or a list of them; blanks are ignored.

    Returns
    -------
    frozenset of str or None
        None when ``spec`` is None (every type).

    Raises
    ------
    UnknownOption
        For a name that is not a registered type.
    """
    if spec is None:
        return None
    items = spec.split(",") if isinstance(spec, str) else list(spec)
    names = [i.strip() for i in items if i.strip()]
    for name in names:
        get_type(name)
    return frozenset(names)


_T = EventType
for _t in (
    _T("armed_clash", "Armed clash", "Battles", "Armed clash", "ASSAULT", "", "19",
       "#d62728", "crosshairs"),
    _T("territory_change", "Territory change", "Battles", "Government regains territory",
       "ASSAULT", "RETREAT", "192", "#8c1a1a", "flag"),
    _T("remote_violence", "Remote violence", "Explosions/Remote violence",
       "Shelling/artillery/missile attack", "ASSAULT", "heavy-weapons", "195",
       "#ff7f0e", "bomb"),
    _T("violence_against_civilians", "Violence against civilians",
       "Violence against civilians", "Attack", "ASSAULT", "", "18", "#7f2704", "user-times"),
    _T("troop_deployment", "Troop deployment", "Strategic developments", "Other",
       "MOBILIZE", "troops", "154", "#1f77b4", "fighter-jet"),
    _T("military_aid", "Military aid", "Strategic developments", "Other", "AID", "military",
       "072", "#17becf", "truck"),
    _T("protest", "Protest", "Protests", "Peaceful protest", "PROTEST", "demo", "14",
       "#2ca02c", "bullhorn"),
    _T("riot", "Riot", "Riots", "Violent demonstration", "PROTEST", "riot", "145",
       "#bcbd22", "fire"),
    _T("arrest", "Arrest", "Strategic developments", "Arrests", "COERCE", "arrest", "173",
       "#9467bd", "lock"),
    _T("agreement", "Agreement", "Strategic developments", "Agreement", "AGREE", "", "057",
       "#e377c2", "handshake-o"),
    _T("meeting", "Meeting", "", "", "CONSULT", "", "04", "#8c564b", "users"),
    _T("accusation", "Accusation", "", "", "ACCUSE", "", "112", "#7f7f7f", "exclamation"),
    _T("sanction", "Sanction", "", "", "SANCTION", "", "16", "#393b79", "ban"),
    _T("threat", "Threat", "", "", "THREATEN", "", "13", "#ad494a", "warning"),
    _T("demand", "Demand", "", "", "DEMAND", "", "10", "#6b6ecf", "hand-paper-o"),
    _T("rejection", "Rejection", "", "", "REJECT", "", "12", "#843c39", "times-circle"),
    _T("concession", "Concession", "Strategic developments", "Other", "CONCEDE", "", "08",
       "#31a354", "unlock"),
    _T("support", "Support", "", "", "SUPPORT", "", "05", "#9c9ede", "thumbs-up"),
    _T("investigation", "Investigation", "", "", "INVESTIGATE", "", "09", "#e7969c",
       "search"),
    _T("aid", "Aid", "Strategic developments", "Other", "AID", "humanitarian", "07",
       "#98df8a", "medkit"),
    _T("cooperation", "Cooperation", "", "", "COOPERATE", "", "06", "#c5b0d5", "link"),
    _T("coercion", "Coercion", "", "", "COERCE", "", "17", "#c49c94", "gavel"),
    _T("statement", "Statement", "", "", "", "", "01", "#637939", "comment"),
    _T("other", "Other", "Strategic developments", "Other", "", "", "", "#aaaaaa", "circle"),
):
    register(_t)

#: ACLED's precedence: when several types fit one clause, the earlier wins
#: (a battle in which territory changes hands is a territory_change).
ACLED_ORDER: tuple[str, ...] = (
    "territory_change",
    "armed_clash",
    "remote_violence",
    "violence_against_civilians",
    "riot",
    "protest",
    "arrest",
    "troop_deployment",
    "military_aid",
    "coercion",
    "agreement",
    "sanction",
    "threat",
    "accusation",
    "rejection",
    "demand",
    "concession",
    "investigation",
    "support",
    "aid",
    "cooperation",
    "meeting",
    "statement",
    "other",
)


#: ACLED's 25 sub-event types (ACLED Codebook, 2023).
ACLED_SUB_EVENTS: frozenset[str] = frozenset({
    "Government regains territory", "Non-state actor overtakes territory", "Armed clash",
    "Excessive force against protesters", "Protest with intervention", "Peaceful protest",
    "Violent demonstration", "Mob violence", "Chemical weapon", "Air/drone strike",
    "Suicide bomb", "Shelling/artillery/missile attack", "Remote explosive/landmine/IED",
    "Grenade", "Sexual violence", "Attack", "Abduction/forced disappearance", "Agreement",
    "Arrests", "Change to group/activity", "Disrupted weapons use",
    "Headquarters or base established", "Looting/property destruction",
    "Non-violent transfer of territory", "Other",
})


def acled_codes(name: str, subtype: str = "") -> tuple[str, str]:
    """Return the ACLED event type and sub-event type of a geomap type and its subtype.

    Parameters
    ----------
    name : str
        A registered type.
    subtype : str
        The event's ACLED sub-event type, if any; a free-form one is replaced by
        the type's default.

    Returns
    -------
    (str, str)
        Both empty for types ACLED does not code.

    Examples
    --------
    >>> acled_codes("remote_violence", "Air/drone strike")
    ('Explosions/Remote violence', 'Air/drone strike')
    >>> acled_codes("statement")
    ('', '')
    """
    et = get_type(name)
    if not et.acled_event_type:
        return "", ""
    if subtype not in ACLED_SUB_EVENTS:
        subtype = et.acled_sub_event_type  # a free-form subtype is not an ACLED code
    return et.acled_event_type, subtype


#: PLOVER reads conventional military force as FIGHT and violence against the
#: unarmed (bombs planted, executions, abductions) as ASSAULT; withdrawals are RETREAT.
_PLOVER_BY_SUBTYPE: dict[str, tuple[str, str]] = {
    "Armed clash": ("FIGHT", "small-arms"),
    "Government regains territory": ("FIGHT", "occupy"),
    "Non-state actor overtakes territory": ("FIGHT", "occupy"),
    "Non-violent transfer of territory": ("RETREAT", "withdraw"),
    "Air/drone strike": ("FIGHT", "aerial"),
    "Shelling/artillery/missile attack": ("FIGHT", "artillery"),
    "Chemical weapon": ("FIGHT", "wmd"),
    "Remote explosive/landmine/IED": ("ASSAULT", "bombing"),
    "Suicide bomb": ("ASSAULT", "bombing"),
    "Grenade": ("ASSAULT", "bombing"),
    "Abduction/forced disappearance": ("COERCE", "abduct"),
    "Arrests": ("COERCE", "arrest"),
    "Looting/property destruction": ("COERCE", "seize"),
    "Agreement": ("AGREE", ""),
}


def plover_codes(name: str, subtype: str = "") -> tuple[str, str]:
    """Return the PLOVER event category and mode of a geomap type and its ACLED subtype.

    Parameters
    ----------
    name : str
        A registered type.
    subtype : str
        The event's ACLED sub-event type, if any.

    Returns
    -------
    (str, str)

    Examples
    --------
    >>> plover_codes("remote_violence", "Air/drone strike")
    ('FIGHT', 'aerial')
    >>> plover_codes("accusation")
    ('DISAPPROVE', 'accuse')
    """
    et = get_type(name)
    if subtype in _PLOVER_BY_SUBTYPE and et.acled_event_type:
        return _PLOVER_BY_SUBTYPE[subtype]
    if name == "accusation":
        return "DISAPPROVE", "accuse"
    return et.plover_event, et.plover_mode


#: The families of types (shared/DESIGN.md and the news-events coding guide): two
#: mentions can tell one happening only when their types share a family.
FAMILIES: dict[str, tuple[str, ...]] = {
    "battle": ("armed_clash", "territory_change"),
    "attack": ("remote_violence", "violence_against_civilians"),
    "unrest": ("protest", "riot"),
    "security": ("arrest", "coercion", "investigation", "sanction"),
    "military": ("troop_deployment", "military_aid"),
    "cooperation": ("agreement", "meeting", "cooperation", "aid", "concession", "support"),
    "verbal": ("statement", "accusation", "demand", "rejection", "threat"),
    "other": ("other",),
}
_FAMILY_OF = {t: f for f, types in FAMILIES.items() for t in types}


def family_of(name: str) -> str:
    """The family of event type ``name``.

    >>> family_of("territory_change")
    'battle'
    >>> family_of("riots")
    Traceback (most recent call last):
    ...
    geomap.errors.UnknownOption: unknown event type 'riots'; options are: armed_clash, ...
    """
    get_type(name)
    return _FAMILY_OF[name]
