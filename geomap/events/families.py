"""Families of event types that place, date and code events alike."""

from __future__ import annotations

__all__ = ["COMMUNICATIVE", "FIGHTING", "VIOLENT"]

#: Types whose natural place is where the speaker or party is: for them a
#: subject is the location, not an actor to skip.
COMMUNICATIVE = frozenset({"statement", "accusation", "threat", "agreement", "meeting",
                           "sanction", "demand", "rejection", "concession", "support",
                           "investigation"})
#: Fighting: a place named for its attackers is not where it happened, and a
#: fight without a place of its own is at the fighting told before.
FIGHTING = frozenset({"territory_change", "armed_clash", "remote_violence",
                      "violence_against_civilians"})
#: Events on the ground: they happen at a place, not at a speaker's.
VIOLENT = frozenset({"territory_change", "armed_clash", "remote_violence",
                     "violence_against_civilians", "troop_deployment", "protest", "riot",
                     "arrest"})
