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
        """The places ``name`` may refer to, best first."""
        ...

    def has_name(self, folded: str) -> bool:
        """Whether ``folded`` (already folded) is a name of any place."""
        ...

    def country(self, code: str) -> Candidate | None:
        """The country with ISO code ``code``."""
        ...

    def demonyms(self, lang: str) -> dict[str, str]:
        """Folded demonym or adjective → ISO country code, for ``lang``."""
        ...

    def region_words(self, lang: str) -> dict[str, str]:
        """Folded region word → ``"admin1"`` or ``"admin2"``, for ``lang``."""
        ...

    def country_shape(self, code: str) -> dict[str, Any] | None:
        """The GeoJSON geometry of a country, if the gazetteer has it."""
        ...
