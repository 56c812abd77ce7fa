"""Fit the place-confidence calibration (``geomap/data/place_calibration.json``).

Usage: python benchmarks/fit_place_calibration.py [--fit lgl,geovirus]
           [--check lgl,geovirus,wiktor_1000] [--points FILE] [--save-points FILE]
           [--gazetteer PATH] [--limit N] [--dry-run]

Runs recognition and resolution from raw text over each corpus (as
``geomap eval`` does) with the calibration off, and keeps, for every
resolved toponym matched to a gold one with coordinates, the ranker's raw
probability, the facts of :func:`geomap.resolve.calibration.calibration_features`
and whether the place is within 161 km of the gold point. Demonyms matched
to gold spans are kept too (LGL annotates them), flagged, so that their
fixed raw 0.9 gets its own level; they stay out of the ECE, as they stay out
of ``geomap eval`` by default.

Then it fits a logistic map (Newton's method, a small L2 penalty) on the
``--fit`` corpora, writes it into the package (unless ``--dry-run``), and
prints the reliability table of every ``--check`` corpus before (raw) and
after, and the cross-corpus ECE table: a map fitted on each corpus alone,
checked on every other one.

After a change to recognition or ranking, refit with this one command (about
ten minutes on the three corpora); ``--save-points``/``--points`` reuse the
collected points to try other fits without rerunning the pipeline.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import numpy as np

EVAL = Path(__file__).resolve().parents[2] / "shared" / "eval"
OUT = Path(__file__).resolve().parents[1] / "geomap" / "data" / "place_calibration.json"


def collect(name: str, gaz, limit: int | None) -> list[dict]:  # type: ignore[no-untyped-def]
    """The raw points of one corpus (see the module docstring)."""
    import itertools

    from gazetteer import haversine_km
    from geomap.evaluate import HIT_KM, Span, match, read_corpus
    from geomap.pipeline import find_places_many
    from geomap.recognise import load_pipeline
    from geomap.resolve import ResolveOptions, resolve
    from geomap.resolve.calibration import calibration_features

    raw = ResolveOptions(calibration=None)
    items = list(itertools.islice(read_corpus(EVAL / f"{name}.jsonl"), limit))
    lang = items[0][0].lang or "en"
    nlp = load_pipeline(lang, places_only=True)
    points = []
    for i in range(0, len(items), 64):
        chunk = items[i:i + 64]
        for (_, gold), parsed in zip(chunk, find_places_many([d for d, _ in chunk], nlp, gaz,
                                                              lang), strict=True):
            places = resolve(parsed.mentions, gaz, lang=lang, options=raw)
            pairs = list(zip(parsed.mentions, places, strict=True))
            for demonyms in (False, True):
                # As geomap eval matches (demonyms left out), then the demonyms alone.
                kept = [(m, p) for m, p in pairs if (m.kind == "demonym") == demonyms]
                for g, k in zip(gold, match(gold, [Span(m.start, m.end) for m, _ in kept]),
                                strict=True):
                    if k is None or g.lat is None or g.lon is None or kept[k][1] is None:
                        continue
                    m, p = kept[k]
                    assert p is not None
                    ok = haversine_km(g.lat, g.lon, p.lat, p.lon) <= HIT_KM
                    points.append({"corpus": name, "raw": p.confidence, "ok": ok,
                                   "reason": p.reason, "alternatives": len(p.alternatives),
                                   "feature": p.feature, **calibration_features(m, p)})
        print(f"  {name}: {min(i + 64, len(items))}/{len(items)} documents", end="\r",
              file=sys.stderr, flush=True)
    print(file=sys.stderr)
    return points


def _design(points: list[dict]) -> np.ndarray:  # type: ignore[type-arg]
    """Columns: one raw-logit column per slope group, the intercept, the features."""
    from geomap.resolve.calibration import (
        CALIBRATION_FEATURES,
        SLOPE_GROUPS,
        raw_logit,
        slope_group,
    )

    rows = []
    for p in points:
        lg = 0.0 if p["lone"] else raw_logit(p["raw"])
        g = slope_group(p)
        rows.append([lg if g == name else 0.0 for name in SLOPE_GROUPS] + [1.0]
                    + [p[f] for f in CALIBRATION_FEATURES])
    return np.array(rows)


def fit(points: list[dict], l2: float = 1e-3, fitted_on: tuple[str, ...] = ()):  # type: ignore[no-untyped-def]
    """A logistic map fitted to ``points`` by Newton's method, each corpus weighing the same."""
    from geomap.resolve.calibration import CALIBRATION_FEATURES, SLOPE_GROUPS, PlaceCalibration

    x = _design(points)
    y = np.array([float(p["ok"]) for p in points])
    sizes: dict[str, int] = {}
    for p in points:
        sizes[p["corpus"]] = sizes.get(p["corpus"], 0) + 1
    sw = np.array([len(points) / (len(sizes) * sizes[p["corpus"]]) for p in points])
    k = len(SLOPE_GROUPS)
    pen = np.full(x.shape[1], l2 * len(y))
    pen[k] = 0.0  # the intercept is not shrunk

    def loss(w: np.ndarray) -> float:  # type: ignore[type-arg]
        z = x @ w
        return float((sw * (np.logaddexp(0, z) - y * z)).sum() + 0.5 * (pen * w) @ w)

    w = np.zeros(x.shape[1])
    for _ in range(100):
        p = 1.0 / (1.0 + np.exp(-np.clip(x @ w, -30, 30)))
        grad = x.T @ (sw * (p - y)) + pen * w
        hess = (x * (sw * p * (1 - p))[:, None]).T @ x + np.diag(pen) + 1e-9 * np.eye(len(w))
        step = np.linalg.solve(hess, grad)
        t, before = 1.0, loss(w)
        while loss(w - t * step) > before and t > 1e-6:
            t /= 2  # Newton with backtracking: the loss never goes up
        w = w - t * step
        if np.abs(t * step).max() < 1e-9:
            break
    # Monotone in the raw probability, always: a negative slope is cut to 0.
    slopes = {g: round(max(0.0, float(v)), 4) for g, v in zip(SLOPE_GROUPS, w[:k], strict=True)}
    return PlaceCalibration(slopes, round(float(w[k]), 4),
                            {f: round(float(v), 4)
                             for f, v in zip(CALIBRATION_FEATURES, w[k + 1:], strict=True)},
                            fitted_on)


def outcomes(points: list[dict], cal) -> list[tuple[float, bool]]:  # type: ignore[no-untyped-def]
    """``(confidence, right)`` of the non-demonym points, raw when ``cal`` is None."""
    return [((p["raw"] if cal is None else cal.confidence(p["raw"], p)), bool(p["ok"]))
            for p in points if not p["demonym"]]


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--fit", default="lgl,geovirus", help="corpora the shipped map is fitted on")
    ap.add_argument("--check", default="lgl,geovirus,wiktor_1000", help="corpora to report on")
    ap.add_argument("--points", help="read the collected points from this JSON-lines file")
    ap.add_argument("--save-points", help="write the collected points to this file")
    ap.add_argument("--gazetteer")
    ap.add_argument("--limit", type=int, help="only the first N documents of each corpus")
    ap.add_argument("--dry-run", action="store_true", help="print, write nothing")
    args = ap.parse_args()
    from geomap.evaluate import EvalReport, calibration_error, reliability_table

    fit_on = [c for c in args.fit.split(",") if c]
    check = [c for c in args.check.split(",") if c]
    names = list(dict.fromkeys(fit_on + check))
    if args.points:
        points = [json.loads(line) for line in Path(args.points).open(encoding="utf-8")]
    else:
        if not EVAL.is_dir():
            print(f"skipped: {EVAL} not found")
            return 0
        from gazetteer import open_gazetteer

        gaz = open_gazetteer(args.gazetteer)
        points = [p for n in names for p in collect(n, gaz, args.limit)]
        if args.save_points:
            Path(args.save_points).write_text(
                "".join(json.dumps(p) + "\n" for p in points), encoding="utf-8")
    by = {n: [p for p in points if p["corpus"] == n] for n in names}
    shipped = fit([p for n in fit_on for p in by[n]], fitted_on=tuple(fit_on))
    for n in check:
        for label, cal in (("raw ranker probability", None), ("calibrated", shipped)):
            rep = EvalReport(n, outcomes=outcomes(by[n], cal))
            print(f"\n{n}: {label} (n={len(rep.outcomes)})")
            print(reliability_table(rep))
    print("\ncross-corpus ECE (rows: fitted on; columns: checked on; raw: no calibration)")
    print(f"{'':<22}" + "".join(f"{n:>14}" for n in check))
    rows = [("raw", None)] + [(n, fit(by[n], fitted_on=(n,))) for n in names]
    rows.append(("+".join(fit_on) + " (shipped)", shipped))
    for label, cal in rows:
        print(f"{label:<22}" + "".join(
            f"{calibration_error(outcomes(by[n], cal)):>14.3f}" for n in check))
    print("\nshipped map:", json.dumps(shipped.as_dict()))
    if not args.dry_run:
        OUT.write_text(json.dumps(shipped.as_dict(), indent=2) + "\n", encoding="utf-8")
        print(f"written: {OUT}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
