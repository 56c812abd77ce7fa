"""``geomap gazetteer``: build, query and describe the local gazetteer."""

from __future__ import annotations

import json
from pathlib import Path

import click

from gazetteer import KINDS, build_default, build_geonames, default_path, open_gazetteer
from gazetteer.download import build_countries

__all__ = ["gazetteer"]


def _root_path() -> Path | None:
    """The ``--gazetteer PATH`` given to the main group, if any."""
    ctx = click.get_current_context()
    value = ctx.find_root().params.get("gazetteer")
    return Path(value) if value else None


@click.group("gazetteer")
def gazetteer() -> None:
    """Build and query the local gazetteer."""


@gazetteer.command("build")
@click.option("--geonames", "geonames_dir", type=click.Path(file_okay=False, path_type=Path),
              help="Folder of GeoNames dumps (allCountries.zip, alternateNamesV2.zip, ...).")
@click.option("--custom", "custom", multiple=True, type=click.Path(dir_okay=False, path_type=Path),
              help="Custom places CSV or GeoJSON (repeatable); they take precedence.")
@click.option("--countries", metavar="CC,..",
              help="Download GeoNames' per-country dumps (every village) of these ISO codes "
                   "and add them to the build, e.g. UA,RU,SD.")
@click.option("--mirror", metavar="URL-or-DIR",
              help="Dump root to download --countries from (GeoNames' layout: CC.zip and "
                   "alternatenames/CC.zip); default: https://download.geonames.org/export/dump/.")
@click.option("--output", "-o", type=click.Path(dir_okay=False, path_type=Path),
              help="Where to write the database (default: --gazetteer, GEOMAP_GAZETTEER, "
                   "or the user cache directory).")
def build_cmd(geonames_dir: Path | None, custom: tuple[Path, ...], countries: str | None,
              mirror: str | None, output: Path | None) -> None:
    """Build the gazetteer database (offline by default; --countries downloads)."""
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TaskID,
        TextColumn,
        TimeElapsedColumn,
    )

    if mirror and not countries:
        raise click.UsageError("--mirror needs --countries")
    target = output or _root_path() or default_path()
    with Progress(
        TextColumn("[bold]{task.description:<16}"), BarColumn(), MofNCompleteColumn(),
        TimeElapsedColumn(), transient=False,
    ) as bar:
        tasks: dict[str, TaskID] = {}

        def progress(stage: str, done: int, total: int) -> None:
            if stage not in tasks:
                tasks[stage] = bar.add_task(stage, total=total or None)
            bar.update(tasks[stage], completed=done, total=total or None)

        if countries:
            path = build_countries(countries, target, mirror=mirror, geonames=geonames_dir,
                                   custom=custom, progress=progress)
        elif geonames_dir is not None:
            path = build_geonames(geonames_dir, target, custom=custom, progress=progress)
        else:
            path = build_default(target, custom=custom, progress=progress)
    with open_gazetteer(path) as gaz:
        counts = json.loads(gaz.meta().get("counts", "{}"))
    size = path.stat().st_size / 2**20
    click.echo(f"Wrote {path} ({size:.1f} MiB): "
               + ", ".join(f"{k} {v:,}" for k, v in sorted(counts.items())))
    if countries:
        with open_gazetteer(path) as gaz:
            added = json.loads(gaz.meta().get("country_places_added", "{}"))
        click.echo(f"Added from {countries.upper()}: "
                   + (", ".join(f"{k} {v:,}" for k, v in sorted(added.items())) or "nothing new"))


@gazetteer.command("lookup")
@click.argument("name")
@click.option("--lang", help="Language of the name (fr, en, ...): prefers names tagged with it.")
@click.option("--country", help="ISO 3166-1 alpha-2 code: only places in that country.")
@click.option("--kind", "kinds", multiple=True, type=click.Choice(KINDS),
              help="Only places of this kind (repeatable).")
@click.option("--limit", "-n", default=10, show_default=True, type=click.IntRange(min=1))
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of a table.")
def lookup_cmd(name: str, lang: str | None, country: str | None, kinds: tuple[str, ...],
               limit: int, as_json: bool) -> None:
    """Look NAME up in the gazetteer, best candidates first."""
    with open_gazetteer(_root_path()) as gaz:
        found = gaz.search(name, lang=lang, country=country, kinds=kinds or None, limit=limit)
    if as_json:
        click.echo(json.dumps([c.to_dict() for c in found], ensure_ascii=False, indent=2))
        return
    if not found:
        click.echo(f"no place named {name!r}")
        return
    from rich.console import Console
    from rich.table import Table

    console = Console()
    if not console.is_terminal:
        # Pipes and scripts get one tab-separated line per candidate, never wrapped.
        for c in found:
            click.echo("\t".join([
                f"{c.score:.3f}", str(c.geonameid), c.name, c.kind, c.feature_code,
                c.country_code or "", c.admin1 or "", f"{c.lat:.5f}", f"{c.lon:.5f}",
                str(c.population), c.reason,
            ]))
        return
    table = Table("score", "geonameid", "name", "kind", "code", "country", "admin1", "lat", "lon",
                  "population", "reason")
    for c in found:
        table.add_row(f"{c.score:.3f}", str(c.geonameid), c.name, c.kind, c.feature_code,
                      c.country_code or "", c.admin1 or "", f"{c.lat:.4f}", f"{c.lon:.4f}",
                      f"{c.population:,}", c.reason)
    console.print(table)


@gazetteer.command("info")
def info_cmd() -> None:
    """Describe the gazetteer in use: path, schema, sources, counts."""
    with open_gazetteer(_root_path()) as gaz:
        meta = gaz.meta()
        path = gaz.path
    click.echo(f"path: {path}")
    click.echo(f"size: {path.stat().st_size / 2**20:.1f} MiB")
    for key, value in meta.items():
        click.echo(f"{key}: {value}")
