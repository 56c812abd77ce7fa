"""The ``geomap`` command line: a thin layer over the public API.

Any :class:`~geomap.errors.GeomapError` becomes one line ``Error: ...`` and
exit code 1; ``--debug`` shows the traceback instead.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import click

from .errors import GeomapError, InputError

__all__ = ["main", "cli"]

_TILES = ("OpenStreetMap", "none")


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
@click.argument("inputs", nargs=-1, required=True)
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
@click.option("--force", is_flag=True,
              help="Reprocess documents the output directory's store already holds.")
@click.option("--batch-size", type=click.IntRange(min=1), default=16, hidden=True)
@click.option("--on-error", type=click.Choice(["raise", "skip"]), default="skip",
              show_default=True, help="Stop at a bad document, or report it and go on.")
@click.option("--include-uncertain", is_flag=True,
              help="Also keep negated, hypothetical and future events (flagged).")
@click.option("--tiles", type=click.Choice(_TILES), default="OpenStreetMap", show_default=True)
@click.option("--offline", is_flag=True, help="Write a self-contained map (see `geomap map`).")
@click.option("--flows", is_flag=True, help="Add the Flows layer to the map.")
@_filters
def run(inputs: tuple[str, ...], out_dir: str, lang: str, engine: str, workers: int | None,
        scheduler: str | None, force: bool, batch_size: int, on_error: str,
        include_uncertain: bool, tiles: str, offline: bool, flows: bool,
        **filters: Any) -> None:
    """Read INPUT... (files, directories, .jsonl, or - for stdin) and write the map and GeoJSON.

    Results are kept in a store in the output directory: a rerun skips the
    documents already done (and a killed run resumes); --force redoes them.
    """
    from rich.console import Console

    from .collection import EventCollection
    from .engine import run_corpus, write_partitioned_parquet
    from .export import write_geojson
    from .render import save_map

    _apply_filters([], filters)  # bad filter values fail before the expensive work
    if scheduler and engine != "dask":
        raise click.BadParameter("--scheduler needs --engine dask", param_hint="--scheduler")

    console = Console(stderr=True)
    paths = [Path(i) if i != "-" else i for i in inputs]
    for p in paths:
        if isinstance(p, Path) and not p.exists():
            raise click.BadParameter(f"{p} does not exist", param_hint="INPUT")
    result = run_corpus(paths, out_dir, engine=engine, workers=workers, scheduler=scheduler,
                        force=force, on_error=on_error, lang=lang, gazetteer=_gazetteer_path(),
                        include_uncertain=include_uncertain, batch_size=batch_size,
                        progress=sys.stderr)
    summary, events = result.summary, result.events
    if events.skipped and summary.processed + summary.from_store == 0:
        name, reason = events.skipped[0]
        raise InputError(reason if name in reason else f"{name}: {reason}")
    kept = EventCollection(_apply_filters(events, filters), shapes=events.shapes)
    out = Path(out_dir)
    written = [write_geojson(kept, out / "events.geojson")]
    if engine == "dask":
        written.append(write_partitioned_parquet(kept, out / "events.parquet",
                                                 npartitions=max(1, summary.workers)))
    written.append(save_map(kept.to_map(tiles=tiles, offline=offline, flows=flows),
                            out / "map.html"))
    for name, reason in events.skipped[:20]:
        console.print(f"skipped {name}: {reason}", markup=False)
    if len(events.skipped) > 20:
        console.print(f"… and {len(events.skipped) - 20} more skipped", markup=False)
    for line in summary.lines():
        console.print(line, markup=False)
    console.print(f"{len(events)} events ({len(kept)} after filters) → "
                  + ", ".join(str(w) for w in written), markup=False)


@cli.command()
@click.argument("events_file", type=click.Path(exists=True, dir_okay=False))
@click.option("-o", "--output", default="map.html", show_default=True,
              type=click.Path(dir_okay=False))
@click.option("--tiles", type=click.Choice(_TILES), default="OpenStreetMap", show_default=True)
@click.option("--offline", is_flag=True,
              help="One self-contained file: the map's JS and CSS inlined from local copies "
                   "(npm ci --prefix tests/browser, or GEOMAP_ASSETS); use with --tiles none.")
@click.option("--flows", is_flag=True,
              help="Add a Flows layer: lines from a country actor's home to the event's place.")
@click.option("--title", help="A title shown on the map.")
@_filters
def map(events_file: str, output: str, tiles: str, offline: bool, flows: bool,  # noqa: A001
        title: str | None, **filters: Any) -> None:
    """Draw EVENTS.geojson as an interactive HTML map."""
    from .collection import EventCollection
    from .export import read_geojson
    from .render import save_map

    events = EventCollection(_apply_filters(read_geojson(events_file), filters),
                             shapes=_shapes())
    m = events.to_map(tiles=tiles, offline=offline, flows=flows, title=title)
    click.echo(f"{len(events)} events → {save_map(m, output)}")


def _shapes() -> Any:
    """Country shapes from the gazetteer when one is installed (the map works without)."""
    from gazetteer import open_gazetteer

    try:
        return open_gazetteer(_gazetteer_path()).country_shape
    except GeomapError:
        return None


@cli.command()
@click.argument("events_file", type=click.Path(exists=True, dir_okay=False))
@click.option("--format", "fmt", required=True, help="geojson, gpkg, parquet or csv.")
@click.option("-o", "--output", type=click.Path(dir_okay=False),
              help="Output file (default: EVENTS with the format's suffix).")
@_filters
def export(events_file: str, fmt: str, output: str | None, **filters: Any) -> None:
    """Convert EVENTS.geojson to GeoPackage, GeoParquet or CSV."""
    from .export import read_geojson, write_export

    suffix = {"geojson": ".out.geojson", "gpkg": ".gpkg", "parquet": ".parquet", "csv": ".csv"}
    target = Path(output) if output else Path(events_file).with_suffix(suffix.get(fmt, "." + fmt))
    events = _apply_filters(read_geojson(events_file), filters)
    click.echo(f"{len(events)} events → {write_export(events, target, fmt)}")


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

    pipe = Pipeline(open_gazetteer(_gazetteer_path()), lang=lang, packs=lang_packs)
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

    from .evaluate import evaluate
    from .pipeline import Pipeline

    pipe = Pipeline(open_gazetteer(_gazetteer_path()), lang=lang, packs=lang_packs)
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
