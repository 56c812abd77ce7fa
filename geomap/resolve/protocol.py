"""The gazetteer as geomap sees it: the few methods it calls, as a typing Protocol.

:class:`gazetteer.Gazetteer` satisfies it; so does any object with these
methods (a test double, a remote service), which is why every type hint in
geomap names :class:`GazetteerLike` rather than the concrete class.
"""

from __future__ import annotations

from collections.abc import Collection
from typing import TYPE_CHECKING, Any, Protocol, runtime_checkable

if TYPE_CHECKING:
    from gazetteer import Candidate

__all__ = ["GazetteerLike"]


@runtime_checkable
class GazetteerLike(Protocol):
    """What geomap asks of a gazetteer (hashable: lookups are cached per gazetteer)."""

    def __hash__(self) -> int:
        """Hash (an open gazetteer is one object for the run)."""
        ...

    def search(self, name: str, *, lang: str | None = None, country: str | None = None,
               kinds: Collection[str] | None = None, limit: int = 20) -> list[Candidate]:
        """Return the places ``name`` may refer to, best first."""
        ...

    def has_name(self, folded: str) -> bool:
        """Tell whether ``folded`` (already folded) is a name of any place."""
        ...

    def country(self, code: str) -> Candidate | None:
        """Return the country with ISO code ``code``."""
        ...

    def demonyms(self, lang: str) -> dict[str, str]:
        """Map folded demonyms and adjectives of ``lang`` to ISO country codes."""
        ...

    def region_words(self, lang: str) -> dict[str, str]:
        """Map folded region words of ``lang`` to ``"admin1"`` or ``"admin2"``."""
        ...

    def country_shape(self, code: str) -> dict[str, Any] | None:
        """Return the GeoJSON geometry of a country, if the gazetteer has it."""
        ...
