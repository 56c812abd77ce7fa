"""The ``geomap`` command line: a thin layer over the public API.

Any :class:`~geomap.errors.GeomapError` becomes one line ``Error: ...`` and
exit code 1; ``--debug`` shows the traceback instead.
"""

from __future__ import annotations

import functools
import json
import os
import sys
from pathlib import Path
from typing import Any

import click

from .errors import GeomapError, InputError

__all__ = ["main", "cli"]

_TILES = ("OpenStreetMap", "none")
_TILES_HELP = ("Tile layer (default OpenStreetMap; none with --offline): the only host "
               "a map contacts.")
_NAMES_HELP = "Language of country names on the map and in exports: en or fr (CLDR)."
_OFFLINE_HELP = ("A map that contacts no host at all: implies --tiles none (an outline basemap). "
                 "Scripts and fonts always ship inside the map file.")


def _filters(f: Any) -> Any:
    for opt in reversed([
        click.option("--from", "date_from", metavar="DATE",
                     help="Keep events on or after (YYYY[-MM[-DD]])."),
        click.option("--to", "date_to", metavar="DATE", help="Keep events on or before."),
        click.option("--types", metavar="T,..", help="Event types to keep, comma-separated."),
        click.option("--country", metavar="CC,..", help="ISO country codes to keep."),
        click.option("--min-confidence", type=float, help="Drop events below this confidence."),
    ]):
        f = opt(f)
    return f


def _apply_filters(events: Any, kw: dict[str, Any]) -> Any:
    from .collection import filter_events

    return filter_events(events, start=kw.get("date_from"), end=kw.get("date_to"),
                         types=kw.get("types"), country=kw.get("country"),
                         min_confidence=kw.get("min_confidence"))


def _gazetteer_path() -> Path | None:
    p = click.get_current_context().find_root().params.get("gazetteer")
    return Path(p) if p else None


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--debug", is_flag=True, help="Show tracebacks.")
@click.option("--gazetteer", type=click.Path(dir_okay=False), envvar="GEOMAP_GAZETTEER",
              help="Gazetteer database (default: $GEOMAP_GAZETTEER or the user cache).")
@click.version_option(package_name="geomap")
def cli(debug: bool, gazetteer: str | None) -> None:
    """geomap: news text to mapped, typed, dated events (offline)."""


@cli.command()
@click.argument("inputs", nargs=-1)
@click.option("--urls", "urls_file", type=click.Path(exists=True, dir_okay=False),
              help="A file of URLs to fetch, one per line (# comments allowed).")
@click.option("--ignore-robots", is_flag=True,
              help="Fetch pages even where the site's robots.txt disallows it.")
@click.option("--fetch-delay", type=click.FloatRange(min=0), default=1.0, show_default=True,
              help="Seconds between two requests to the same host.")
@click.option("--fetch-timeout", type=click.FloatRange(min=0.1), default=20.0,
              show_default=True, help="Seconds to wait for a page before retrying.")
@click.option("--refetch", is_flag=True,
              help="Fetch URLs again instead of taking them from the store's cache.")
@click.option("-o", "--output", "out_dir", default="output", show_default=True,
              type=click.Path(file_okay=False),
              help="Directory for events.geojson, map.html and the resumable result store.")
@click.option("--lang", default="auto", show_default=True, help="auto, fr or en.")
@click.option("--engine", type=click.Choice(["local", "dask"]), default="local",
              show_default=True, help="Local processes, or a Dask cluster.")
@click.option("--workers", type=click.IntRange(min=1),
              help="Worker processes (default: the cores); with --engine dask and no "
                   "--scheduler, the local cluster's workers.")
@click.option("--scheduler", metavar="ADDRESS",
              help="Dask scheduler to run on (tcp://HOST:8786); default: start a local cluster.")
@click.option("--tls-ca-file", type=click.Path(dir_okay=False), metavar="PEM",
              help="With a tls:// --scheduler: the CA that signed the cluster's certificates.")
@click.option("--tls-cert", type=click.Path(dir_okay=False), metavar="PEM",
              help="With a tls:// --scheduler: this client's certificate.")
@click.option("--tls-key", type=click.Path(dir_okay=False), metavar="PEM",
              help="With a tls:// --scheduler: this client's private key.")
@click.option("--force", is_flag=True,
              help="Reprocess documents the output directory's store already holds.")
@click.option("--batch-size", type=click.IntRange(min=1), default=16, hidden=True)
@click.option("--on-error", type=click.Choice(["raise", "skip"]), default="skip",
              show_default=True, help="Stop at a bad document, or report it and go on.")
@click.option("--include-uncertain", is_flag=True,
              help="Also keep negated, hypothetical and future events, and events "
                   "recalled from over a year before publication (flagged).")
@click.option("--tiles", type=click.Choice(_TILES), help=_TILES_HELP)
@click.option("--offline", is_flag=True, help=_OFFLINE_HELP)
@click.option("--flows", is_flag=True, help="Add the Flows layer to the map.")
@click.option("--names", "names", default="en", show_default=True, help=_NAMES_HELP)
@_filters
def run(inputs: tuple[str, ...], urls_file: str | None, ignore_robots: bool,
        fetch_delay: float, fetch_timeout: float, refetch: bool, out_dir: str, lang: str,
        engine: str, workers: int | None, scheduler: str | None, tls_ca_file: str | None,
        tls_cert: str | None, tls_key: str | None, force: bool, batch_size: int,
        on_error: str, include_uncertain: bool, tiles: str | None, offline: bool, flows: bool,
        names: str,
        **filters: Any) -> None:
    """Read INPUT... and write the map and GeoJSON.

    INPUT is a file (.txt, .md, .jsonl, .html, .rss, .atom, .xml), a directory,
    an http(s) URL of a page or a feed, or - for stdin. URLs are fetched
    politely (robots.txt honoured) and kept in the store, so a rerun does not
    fetch them again.

    Results are kept in a store in the output directory: a rerun skips the
    documents already done (and a killed run resumes); --force redoes them.
    """
    from rich.console import Console

    from .collection import EventCollection, event_filter
    from .engine import run_corpus, write_partitioned_parquet
    from .engine.executors import dask_security
    from .export import write_geojson
    from .names import check_names_language
    from .render import resolve_tiles, save_map

    keep = event_filter(start=filters.get("date_from"), end=filters.get("date_to"),
                        types=filters.get("types"), country=filters.get("country"),
                        min_confidence=filters.get("min_confidence"))  # fails before the work
    resolve_tiles(tiles, offline)
    check_names_language(names)
    _check_output_dir(Path(out_dir))
    if scheduler and engine != "dask":
        raise click.BadParameter("--scheduler needs --engine dask", param_hint="--scheduler")
    tls = tls_ca_file or tls_cert or tls_key
    if tls and not scheduler:
        raise click.BadParameter("--tls-ca-file, --tls-cert and --tls-key need --scheduler "
                                 "tls://HOST:PORT", param_hint="--tls-cert")
    security = dask_security(tls_ca_file, tls_cert, tls_key) if tls else None

    from .read.fetch import Fetcher, FetchOptions, is_url, read_url_list
    from .store import STORE_NAME, UrlCache

    console = Console(stderr=True)
    paths: list[Path | str] = [i if i == "-" or is_url(i) else Path(i) for i in inputs]
    if urls_file:
        paths += read_url_list(urls_file)
    if not paths:
        raise click.UsageError("give at least one INPUT or --urls FILE")
    for p in paths:
        if isinstance(p, Path) and not p.exists():
            raise click.BadParameter(f"{p} does not exist", param_hint="INPUT")
    cache = UrlCache(Path(out_dir) / STORE_NAME)
    if refetch:
        cache.clear()
    options = FetchOptions(robots=not ignore_robots, delay=fetch_delay, timeout=fetch_timeout)
    try:
        with Fetcher(options, cache=cache) as fetcher:
            result = run_corpus(paths, out_dir, engine=engine, workers=workers,
                                scheduler=scheduler, security=security, force=force,
                                on_error=on_error, lang=lang,
                                gazetteer=_gazetteer_path(), include_uncertain=include_uncertain,
                                batch_size=batch_size, progress=sys.stderr, fetcher=fetcher)
    finally:
        cache.close()
    summary, skipped = result.summary, result.skipped
    if skipped and summary.processed + summary.from_store == 0:
        name, reason = skipped[0]
        raise InputError(reason if name in reason else f"{name}: {reason}")
    out = Path(out_dir)
    # events.geojson streams from the store; the map (one page) holds the events it shows.
    written = [write_geojson((e for e in result.iter_events() if keep(e)),
                             out / "events.geojson")]
    kept = EventCollection((e for e in result.iter_events() if keep(e)), shapes=result.shapes)
    if engine == "dask":
        written.append(write_partitioned_parquet(kept, out / "events.parquet",
                                                 npartitions=max(1, summary.workers)))
    written.append(save_map(kept.to_map(tiles=tiles, offline=offline, flows=flows,
                                        names=names, place_names=_place_names()),
                            out / "map.html"))
    for name, reason in skipped[:20]:
        console.print(f"skipped {name}: {reason}", markup=False, soft_wrap=True)
    if len(skipped) > 20:
        console.print(f"… and {len(skipped) - 20} more skipped", markup=False)
    for line in summary.lines():
        console.print(line, markup=False)
    console.print(f"{summary.grouped_events} events ({len(kept)} after filters) → "
                  + ", ".join(str(w) for w in written), markup=False)


@cli.command()
@click.argument("events_file", type=click.Path(exists=True, dir_okay=False))
@click.option("-o", "--output", default="map.html", show_default=True,
              type=click.Path(dir_okay=False))
@click.option("--tiles", type=click.Choice(_TILES), help=_TILES_HELP)
@click.option("--offline", is_flag=True, help=_OFFLINE_HELP)
@click.option("--flows", is_flag=True,
              help="Add a Flows layer: lines from a country actor's home to the event's place.")
@click.option("--title", help="A title shown on the map.")
@click.option("--names", "names", default="en", show_default=True, help=_NAMES_HELP)
@_filters
def map(events_file: str, output: str, tiles: str | None, offline: bool, flows: bool,  # noqa: A001
        title: str | None, names: str, **filters: Any) -> None:
    """Draw EVENTS.geojson as an interactive HTML map."""
    from .collection import EventCollection
    from .export import read_geojson
    from .names import check_names_language
    from .render import resolve_tiles, save_map

    resolve_tiles(tiles, offline)
    check_names_language(names)
    _check_output_dir(Path(output).parent)
    read = read_geojson(events_file)
    if not read:
        raise InputError(f"{events_file} holds no events; nothing to map (give the "
                         "events.geojson of a run that found events)")
    events = EventCollection(_apply_filters(read, filters), shapes=_shapes())
    m = events.to_map(tiles=tiles, offline=offline, flows=flows, title=title, names=names,
                      place_names=_place_names())
    click.echo(f"{len(events)} events → {save_map(m, output)}")


def _check_output_dir(directory: Path) -> None:
    """Create ``directory`` (an output's home) now, or fail in one line before any work."""
    try:
        directory.mkdir(parents=True, exist_ok=True)
    except OSError as err:
        reason = err.strerror or type(err).__name__
        raise InputError(f"output directory {directory} cannot be created ({reason}); "
                         "choose another with -o") from err
    if not os.access(directory, os.W_OK | os.X_OK):
        raise InputError(f"output directory {directory} is not writable; "
                         "choose another with -o")


def _gazetteer() -> Any:
    """The installed gazetteer, opened once per path, or None (maps and exports work without)."""
    return _open_gazetteer(_gazetteer_path())


@functools.lru_cache(maxsize=4)
def _open_gazetteer(path: Path | None) -> Any:
    from gazetteer import open_gazetteer

    try:
        return open_gazetteer(path)
    except GeomapError:
        return None


def _admin_names(lang: str) -> Any:
    """``(country, admin1_code) → name`` in ``lang`` from the gazetteer when one is installed."""
    from .names import display_name

    gaz = _gazetteer()
    if gaz is None:
        return None

    @functools.lru_cache(maxsize=4096)  # an export names the same few areas again and again
    def name(cc: str, code: str) -> str | None:
        area = gaz.admin1(cc, code)
        if area is None:
            return None
        known = gaz.names_of([area.geonameid]).get(area.geonameid, [])
        return display_name(area.name, "admin1", cc, known, lang)

    return name


def _place_names() -> Any:
    """``geonameids → {geonameid: [(name, lang), ...]}`` from the gazetteer when installed."""
    gaz = _gazetteer()
    return gaz.names_of if gaz is not None else None


def _shapes() -> Any:
    """Country shapes from the gazetteer when one is installed (the map works without)."""
    gaz = _gazetteer()
    return gaz.country_shape if gaz is not None else None


@cli.command()
@click.argument("events_file", type=click.Path(exists=True, dir_okay=False))
@click.option("--format", "fmt", required=True, help="geojson, gpkg, parquet or csv.")
@click.option("-o", "--output", type=click.Path(dir_okay=False),
              help="Output file (default: EVENTS with the format's suffix).")
@click.option("--names", "names", default="en", show_default=True, help=_NAMES_HELP)
@_filters
def export(events_file: str, fmt: str, output: str | None, names: str, **filters: Any) -> None:
    """Convert EVENTS.geojson to GeoPackage, GeoParquet or CSV."""
    from .export import read_geojson, write_export
    from .names import check_names_language

    check_names_language(names)
    suffix = {"geojson": ".out.geojson", "gpkg": ".gpkg", "parquet": ".parquet", "csv": ".csv"}
    target = Path(output) if output else Path(events_file).with_suffix(suffix.get(fmt, "." + fmt))
    _check_output_dir(target.parent)
    events = _apply_filters(read_geojson(events_file), filters)
    written = write_export(events, target, fmt, admin_names=_admin_names(names), names=names)
    click.echo(f"{len(events)} events → {written}")


@cli.command()
@click.argument("input_file", type=click.Path(exists=True, dir_okay=False, allow_dash=True))
@click.option("-o", "--output", type=click.Path(dir_okay=False), help="Default: stdout.")
@click.option("--lang", default="auto", show_default=True, help="auto, fr or en.")
@click.option("--demonyms", is_flag=True, help="Also output demonyms as country-level toponyms.")
@click.option("--lang-pack", "lang_packs", multiple=True, metavar="PACK",
              help="Opt-in language pack, off by default (fr-hist: 18th-century French, "
                   "the Encyclopédie's conventions). Repeatable.")
def geoparse(input_file: str, output: str | None, lang: str, demonyms: bool,
             lang_packs: tuple[str, ...]) -> None:
    """Places only: one {"id", "toponyms": [...]} line per input document."""
    from gazetteer import open_gazetteer

    from ._io import atomic_write_text
    from .documents import read_documents
    from .pipeline import Pipeline

    pipe = Pipeline(open_gazetteer(_gazetteer_path()), lang=lang, packs=lang_packs,
                    places_only=True)
    lines = []
    for result in pipe.process_many(read_documents([input_file], lang=pipe.lang)):
        tops = []
        for m, p in zip(result.mentions, result.places, strict=True):
            if m.kind == "demonym" and not demonyms:
                continue
            tops.append({
                "start": m.start, "end": m.end, "text": m.text, "kind": m.kind,
                "lat": p.lat if p else None, "lon": p.lon if p else None,
                "geonameid": p.geonameid if p else None,
                "name": p.name if p else None,
                "country_code": p.country if p else None,
                "feature_code": p.feature if p else None,
                "confidence": round(p.confidence, 3) if p else None,
            })
        lines.append(json.dumps({"id": result.document.id, "toponyms": tops},
                                ensure_ascii=False))
    text = "\n".join(lines) + ("\n" if lines else "")
    if output:
        atomic_write_text(output, text)
    else:
        sys.stdout.write(text)


@cli.command("eval")
@click.argument("corpus", type=click.Path(exists=True, dir_okay=False))
@click.option("--spans", type=click.Choice(["predicted", "gold"]), default="predicted",
              show_default=True, help="Recognise from raw text, or resolve the gold spans.")
@click.option("--lang", default="auto", show_default=True, help="auto, fr or en.")
@click.option("--limit", type=int, help="Only the first N documents.")
@click.option("--demonyms", is_flag=True, help="Count demonyms as toponyms.")
@click.option("--json", "as_json", is_flag=True, help="Print the metrics as JSON.")
@click.option("--lang-pack", "lang_packs", multiple=True, metavar="PACK",
              help="Opt-in language pack, off by default (fr-hist: 18th-century French, "
                   "the Encyclopédie's conventions). Repeatable.")
def eval_(corpus: str, spans: str, lang: str, limit: int | None, demonyms: bool,
          as_json: bool, lang_packs: tuple[str, ...]) -> None:
    """Score geoparsing on an annotated CORPUS.jsonl: P/R/F1, acc@161, km errors, AUC."""
    from gazetteer import open_gazetteer

    from .evaluate import evaluate, reliability_table
    from .pipeline import Pipeline

    pipe = Pipeline(open_gazetteer(_gazetteer_path()), lang=lang, packs=lang_packs,
                    places_only=True)
    rep = evaluate(corpus, pipe, spans=spans, demonyms=demonyms, limit=limit)
    d = rep.as_dict()
    if as_json:
        click.echo(json.dumps(d, indent=2))
        return
    click.echo(f"{rep.corpus}: {rep.documents} documents, {rep.gold} gold toponyms, "
               f"{rep.predicted} predicted ({spans} spans)")
    click.echo(f"recognition exact   P {d['exact_p']:.3f}  R {d['exact_r']:.3f}  "
               f"F1 {d['exact_f1']:.3f}")
    click.echo(f"recognition overlap P {d['overlap_p']:.3f}  R {d['overlap_r']:.3f}  "
               f"F1 {d['overlap_f1']:.3f}")
    click.echo(f"resolution (matched, n={d['resolved']}) acc@161 {d['acc161']:.3f}  "
               f"mean {d['mean_km']:.0f} km  median {d['median_km']:.0f} km  AUC {d['auc']:.3f}")
    click.echo(f"end-to-end acc@161 {d['end_to_end_acc161']:.3f} "
               f"(of {rep.gold_with_coords} gold toponyms with coordinates)")
    if rep.outcomes:
        click.echo("reliability of the place confidence "
                   f"(resolved toponyms, n={len(rep.outcomes)})")
        click.echo(reliability_table(rep))


def _register_gazetteer() -> None:
    from .cli_gazetteer import gazetteer as gazetteer_group

    cli.add_command(gazetteer_group)


_register_gazetteer()


def main(argv: list[str] | None = None) -> int:
    """Entry point of the ``geomap`` console script."""
    args = list(sys.argv[1:] if argv is None else argv)
    debug = "--debug" in args
    try:
        cli.main(args=args, prog_name="geomap", standalone_mode=False)
    except click.exceptions.Abort:
        click.echo("Aborted.", err=True)
        return 130
    except click.ClickException as err:
        err.show()
        return err.exit_code
    except GeomapError as err:
        if debug:
            raise
        click.echo(f"Error: {err}", err=True)
        return 1
    except KeyboardInterrupt:
        return 130
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
