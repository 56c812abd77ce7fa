"""Write ``gazetteer/data/admin1_names.csv``: English and French names of admin-1 areas.

The names are the Wikipedia article titles that the npm package ``iso3166-2-db``
(MIT licence, by esosedi) lists for each ISO 3166-2 subdivision, with the
subdivision's GeoNames id. The gazetteer shows admin areas by them ("Kursk
Oblast", "oblast de Koursk") instead of their transliteration ("Kurskaya
oblast'"), and the map's search finds them. They are display names only:
recognition never matches them in text.

Usage::

    npm pack iso3166-2-db@2.3.11 && tar xzf iso3166-2-db-2.3.11.tgz
    python tools/admin1_names.py package/ gazetteer/data/admin1_names.csv
"""

from __future__ import annotations

import csv
import json
import os
import sys
from pathlib import Path

HEADER = ("# Names of admin-1 areas for display and search, never matched in text.\n"
          "# _source: npm iso3166-2-db {version} (MIT, esosedi),\n"
          "# regions/<country>/{{en,fr}}.json: Wikipedia article titles.\n"
          "# Regenerate with tools/admin1_names.py.\n")


def main(package: Path, out: Path) -> int:
    """Write the table from the unpacked npm package; return the number of rows."""
    version = json.loads((package / "package.json").read_text(encoding="utf-8"))["version"]
    rows: list[tuple[str, str, str, str]] = []
    regions = package / "regions"
    for cc in sorted(os.listdir(regions)):
        folder = regions / cc
        if not (folder / "en_ref.json").is_file():
            continue
        fr = {r["iso"]: r["name"] for r in json.loads((folder / "fr.json").read_text("utf-8"))}
        for r in json.loads((folder / "en_ref.json").read_text("utf-8")):
            gid = r.get("reference", {}).get("geonames")
            rows.append((str(gid or ""), f"{cc}-{r['iso']}", r["name"].strip(),
                         (fr.get(r["iso"]) or "").strip()))
    tmp = out.with_suffix(".tmp")
    with open(tmp, "w", encoding="utf-8", newline="") as fh:
        fh.write(HEADER.format(version=version))
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(("geonameid", "iso_3166_2", "en", "fr"))
        writer.writerows(rows)
    tmp.replace(out)
    return len(rows)


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit("usage: python tools/admin1_names.py PACKAGE_DIR OUT_CSV")
    print(main(Path(sys.argv[1]), Path(sys.argv[2])), "rows")
