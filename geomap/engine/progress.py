"""What a corpus run tells its user: the progress bar or log lines, and the summary."""

from __future__ import annotations

import contextlib
import gzip
import os
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO

from ..documents import JSONL_SUFFIXES, TEXT_SUFFIXES
from ..records import Document

__all__ = ["Reporter", "RunSummary", "count_documents"]


@dataclass
class RunSummary:
    """What a corpus run did."""

    engine: str = "local"
    workers: int = 1
    read: int = 0
    processed: int = 0
    from_store: int = 0
    failed: int = 0
    skipped: list[tuple[str, str]] = field(default_factory=list)
    places: int = 0
    events: int = 0
    grouped_events: int = 0
    seconds: float = 0.0
    worker_peak_rss_mb: dict[int, float] = field(default_factory=dict)
    store: str = ""

    @property
    def docs_per_second(self) -> float:
        """Documents processed per second of the run."""
        return self.processed / self.seconds if self.seconds > 0 else 0.0

    def count(self, outcome: Any, *, stored: bool = False) -> None:
        """Count one document's outcome, processed now or taken from the store."""
        if outcome.status != "ok":
            self.failed += 1
            return
        if stored:
            self.from_store += 1
        else:
            self.processed += 1
        self.places += outcome.places
        self.events += outcome.events

    def lines(self) -> list[str]:
        """The end-of-run report, one fact a line."""
        renamed = sum(1 for _, r in self.skipped if _kind(r) == "duplicate id (renamed)")
        kinds: dict[str, int] = {}
        for _, reason in self.skipped:
            kinds[_kind(reason)] = kinds.get(_kind(reason), 0) + 1
        peak = max(self.worker_peak_rss_mb.values(), default=0.0)
        out = [
            f"documents read      {self.read}",
            f"processed           {self.processed}"
            + (f" ({self.docs_per_second:.1f}/s)" if self.processed else ""),
            f"from the store      {self.from_store}",
            f"skipped             {len(self.skipped) - renamed}",
        ]
        out += [f"  {n} {kind}" for kind, n in sorted(kinds.items(), key=lambda kv: -kv[1])]
        out += [
            f"places              {self.places}",
            f"events              {self.events} ({self.grouped_events} after grouping)",
            f"time                {_duration(self.seconds)}"
            f" on {self.workers} {self.engine} worker{'s' if self.workers != 1 else ''}",
        ]
        if peak:
            out.append(f"peak worker memory  {peak:.0f} MB")
        return out


_KINDS = (
    ("renamed to", "duplicate id (renamed)"),
    ("is empty", "empty"),
    ("no 'text'", "no text"),
    ("binary", "binary"),
    ("NUL", "binary"),
    ("looks like cp1252", "not UTF-8 (cp1252)"),
    ("looks like latin1", "not UTF-8 (latin-1)"),
    ("UTF-8", "not UTF-8"),
    ("not valid JSON", "malformed JSON line"),
    ("expected a JSON object", "malformed JSON line"),
    ("date", "bad date"),
    ("language", "unknown language"),
    ("does not exist", "missing file"),
    ("cannot be read", "unreadable file"),
)


def _kind(reason: str) -> str:
    """A short label for a skip reason, to count them by kind."""
    for needle, label in _KINDS:
        if needle in reason:
            return label
    head = reason.split(":", 1)[0].strip()
    return head if head.isidentifier() else "other"


def _duration(seconds: float) -> str:
    if seconds < 60:
        return f"{seconds:.1f} s"
    minutes, sec = divmod(int(seconds), 60)
    hours, minutes = divmod(minutes, 60)
    return f"{hours}h{minutes:02d}m{sec:02d}s" if hours else f"{minutes}m{sec:02d}s"


class Reporter:
    """A rich progress bar on a terminal, a log line every ``interval`` seconds otherwise."""

    def __init__(self, stream: TextIO | None, interval: float = 10.0) -> None:
        self.stream = stream
        self.interval = interval
        self.total: int | None = None
        self.start = time.perf_counter()
        self.last = self.start
        self.bar: Any = None
        self.task: Any = None
        if stream is not None and stream.isatty():
            from rich.console import Console
            from rich.progress import (
                BarColumn,
                MofNCompleteColumn,
                Progress,
                TextColumn,
                TimeElapsedColumn,
                TimeRemainingColumn,
            )

            self.bar = Progress(
                TextColumn("[bold]geomap[/]"), BarColumn(), MofNCompleteColumn(),
                TextColumn("{task.fields[rate]} docs/s · {task.fields[places]} places · "
                           "{task.fields[events]} events"),
                TimeElapsedColumn(), TextColumn("ETA"), TimeRemainingColumn(),
                console=Console(file=stream), transient=False)
            self.task = self.bar.add_task("run", total=None, rate="0.0", places=0, events=0)
            self.bar.start()

    def set_total(self, total: int) -> None:
        """Know the corpus size now (for the bar and the ETA)."""
        self.total = total
        if self.bar is not None:
            self.bar.update(self.task, total=total)

    def update(self, s: RunSummary, force: bool = False) -> None:
        """Refresh the bar; print a log line when ``interval`` has passed.

        Never when ``force``: the summary follows then.
        """
        now = time.perf_counter()
        elapsed = max(now - self.start, 1e-9)
        done = s.processed + s.from_store + s.failed
        rate = s.processed / elapsed
        if self.bar is not None:
            self.bar.update(self.task, completed=done, rate=f"{rate:.1f}", places=s.places,
                            events=s.events)
        elif self.stream is not None and not force and now - self.last >= self.interval:
            self.last = now
            eta = ""
            if self.total and rate > 0:
                eta = f", ETA {_duration(max(self.total - done, 0) / rate)}"
            of = f"/{self.total}" if self.total else ""
            print(f"geomap: {done}{of} documents ({s.processed} processed, {s.from_store} "
                  f"from the store, {len(s.skipped)} skipped), {rate:.1f} docs/s, "
                  f"{s.places} places, {s.events} events{eta}", file=self.stream, flush=True)

    def close(self) -> None:
        """Stop the bar."""
        if self.bar is not None:
            self.bar.stop()


def count_documents(inputs: Sequence[Any]) -> int | None:
    """A quick count of the documents in ``inputs`` (for the ETA); None when unknowable (stdin)."""
    total = 0
    for item in inputs:
        if isinstance(item, Document):
            total += 1
            continue
        if isinstance(item, str) and item == "-":
            return None
        path = Path(item) if isinstance(item, (str, os.PathLike)) else None
        if path is None or not path.exists():
            total += 1
            continue
        files = [path] if path.is_file() else sorted(
            p for p in path.rglob("*") if p.is_file()
            and not any(part.startswith(".") for part in p.relative_to(path).parts))
        for f in files:
            name = f.name.lower()
            if name.endswith(JSONL_SUFFIXES):
                with contextlib.suppress(OSError, EOFError, ValueError):
                    opener = gzip.open if name.endswith(".gz") else open
                    with opener(f, "rb") as handle:
                        total += sum(1 for line in handle if line.strip())
            elif name.endswith(TEXT_SUFFIXES) or f == path:
                total += 1
    return total
