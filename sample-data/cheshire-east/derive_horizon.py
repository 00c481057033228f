#!/usr/bin/env python3
"""Derive the multi-year tables of the synthetic Cheshire East sample.

Reads the single-year tables beside this script (made by derive.py) and the placements of
the single-year optimum, and writes:

  cohort.csv              base-year (2025/26) children by locality, need, year group, provision
  forecast_rates.csv      new plans, ceasing rates and growth by need and year group, for the
                          variants low, central, high and semh-high
  current_placements.csv  where the base-year children are now
  setting_places.csv      places changing from a year on

Usage (from the repository root):

  cargo run --release -- solve models/cheshire-east.toml --out /tmp/base-plan
  python3 sample-data/cheshire-east/derive_horizon.py /tmp/base-plan/placements.csv

Deterministic: no randomness; the same inputs give byte-identical files. Standard library
only. Every figure below is an assumption calibrated to ../shared/domain/figures.md, said
where it is made.
"""

import csv
import math
import sys
from collections import defaultdict
from pathlib import Path

HERE = Path(__file__).resolve().parent
FIRST_YEAR = 2025
YEARS = 5

# Age profile within each phase (shares of the phase's children by year group). Plans start
# most at 4-5 and 10-11 (figures.md, "age at which a plan starts"), so numbers climb through
# primary and peak in secondary; post-16 thins as young people leave (16-19 is 20% of plans
# against 36% at 11-15: figures.md, "age bands").
AGE_PROFILE = {
    "early-years": [("N1", 0.35), ("N2", 0.65)],
    "primary": [("R", 0.10), ("1", 0.12), ("2", 0.13), ("3", 0.15), ("4", 0.16), ("5", 0.17), ("6", 0.17)],
    "secondary": [("7", 0.19), ("8", 0.20), ("9", 0.21), ("10", 0.21), ("11", 0.19)],
    "post-16": [("12", 0.42), ("13", 0.33), ("14", 0.25)],
}
YEAR_GROUPS = [yg for phase in AGE_PROFILE.values() for yg, _ in phase]
PHASE_OF = {yg: phase for phase, groups in AGE_PROFILE.items() for yg, _ in groups}

# Where new specialist-place children arrive, by year group (shares of a year's arrivals):
# most at reception and at year 7 (transfer to secondary), some in nursery, through primary
# and at 12 (figures.md: 26.4% of plans start at 4-5, 18.7% at 10-11, 5.4% at 16+).
ARRIVALS = {"N1": 0.02, "N2": 0.06, "R": 0.26, "1": 0.04, "2": 0.04, "3": 0.04, "4": 0.04,
            "5": 0.04, "6": 0.04, "7": 0.20, "8": 0.04, "9": 0.04, "10": 0.03, "11": 0.02,
            "12": 0.07, "13": 0.01, "14": 0.01}

# Share leaving each year (moving to mainstream, plan ceased, moving away): small, larger at
# the end of year 11 and of year 13 (figures.md: 44,862 plans ceased against 638,745 active,
# about 7% a year, most at 16+; specialist placements cease less often).
CEASING = {yg: 0.02 for yg in YEAR_GROUPS}
CEASING.update({"11": 0.12, "13": 0.20})

# Growth of new plans a year after the base year, by variant (figures.md: plans grew
# +9% to +11.5% a year in 2022-2025; councils' central forecasts moderate that).
VARIANTS = {
    "low": {"scale": 0.85, "growth": 0.00},
    "central": {"scale": 1.00, "growth": 0.05},
    "high": {"scale": 1.15, "growth": 0.10},
    "semh-high": {"scale": 1.00, "growth": 0.05, "SEMH": 0.18},
}
# The central variant's first-year arrivals are set so that total need grows 6% in 2026/27.
CENTRAL_FIRST_YEAR_GROWTH = 0.06

# Places: independent and non-maintained schools take more children as demand grows (the
# market responds: +8% a year, rounded); one state expansion and one closure.
INDEPENDENT_GROWTH = 0.08
EXPANSIONS = [("hawthorn-academy", 2026, 104), ("larchwood-satellite", 2027, 100)]
CLOSURES = [("rp-brookvale-high", 2027)]

# Share of the base-year children already placed (the rest are newly assessed, to place).
ALREADY_PLACED = 0.92


def year_label(y):
    return f"{y}/{(y + 1) % 100:02d}"


def read(name):
    with open(HERE / name, newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def write(name, header, rows):
    with open(HERE / name, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(header)
        w.writerows(rows)


def split_phase(total, phase):
    """total over the phase's year groups by AGE_PROFILE, one decimal place, exact sum."""
    groups = AGE_PROFILE[phase]
    tenths = round(total * 10)
    parts = [math.floor(tenths * share) for _, share in groups]
    # Give the remaining tenths to the largest remainders, first in order on ties.
    order = sorted(range(len(groups)), key=lambda i: -(tenths * groups[i][1] - parts[i]))
    for i in order[: tenths - sum(parts)]:
        parts[i] += 1
    return [(groups[i][0], parts[i] / 10) for i in range(len(groups))]


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    demand = read("demand.csv")
    settings = read("settings.csv")
    setting_needs = read("setting_needs.csv")

    # cohort.csv: the base-year demand by year group.
    cohort = {}
    for d in demand:
        for yg, v in split_phase(float(d["children"]), d["phase"]):
            if v > 0:
                cohort[(d["locality"], d["need"], yg, d["provision"])] = v
    write("cohort.csv", ["locality", "need", "year_group", "children", "provision"],
          [[l, n, yg, f"{v:.1f}", p] for (l, n, yg, p), v in cohort.items()])

    # forecast_rates.csv.
    by_need = defaultdict(float)
    for (l, n, yg, p), v in cohort.items():
        by_need[n] += v
    base_total = sum(by_need.values())
    aged = sum(v * (1 - CEASING[yg]) for (l, n, yg, p), v in cohort.items() if yg != "14")
    central_arrivals = base_total * (1 + CENTRAL_FIRST_YEAR_GROWTH) - aged
    needs = sorted(by_need, key=lambda n: -by_need[n])
    rows = []
    for variant, v in VARIANTS.items():
        for n in needs:
            growth = v.get(n, v["growth"])
            for yg in YEAR_GROUPS:
                new = central_arrivals * v["scale"] * by_need[n] / base_total * ARRIVALS[yg]
                rows.append([variant, n, yg, f"{new:.2f}", f"{CEASING[yg]:.2f}", f"{growth:.2f}"])
    write("forecast_rates.csv", ["variant", "need", "year_group", "new_plans", "ceasing_rate", "growth"], rows)

    # current_placements.csv: 92% of the single-year optimum's placements, by year group
    # in proportion to the cohort, rounded down to a tenth so that no setting, per-need cap
    # or cohort cell is exceeded.
    placed = defaultdict(float)
    with open(sys.argv[1], newline="", encoding="utf-8") as f:
        for p in csv.DictReader(f):
            provision = "" if p["provision"] == "resourced-provision" else p["provision"]
            weights = [(yg, cohort.get((p["locality"], p["need"], yg, provision), 0.0)) for yg, _ in AGE_PROFILE[p["phase"]]]
            total = sum(w for _, w in weights)
            for yg, w in weights:
                if total > 0 and w > 0:
                    placed[(p["setting"], p["locality"], p["need"], yg, provision)] += float(p["children"]) * ALREADY_PLACED * w / total
    rows = []
    for (s, l, n, yg, prov), v in sorted(placed.items()):
        v = math.floor(v * 10) / 10
        if v > 0:
            rows.append([s, l, n, yg, f"{v:.1f}", prov])
    write("current_placements.csv", ["setting", "locality", "need", "year_group", "children", "provision"], rows)

    # setting_places.csv.
    rows = []
    for s in settings:
        if s["kind"] in ("independent-special", "non-maintained-special"):
            places = float(s["places"])
            for k in range(1, YEARS):
                rows.append([s["id"], year_label(FIRST_YEAR + k), round(places * (1 + INDEPENDENT_GROWTH) ** k)])
    for sid, year, places in EXPANSIONS:
        rows.append([sid, year_label(year), places])
    for sid, year in CLOSURES:
        rows.append([sid, year_label(year), 0])
    write("setting_places.csv", ["setting", "from_year", "places"], rows)

    # Checks: the placements fit the cohort and the places.
    cells = defaultdict(float)
    at = defaultdict(float)
    for s, l, n, yg, v, p in [(r[0], r[1], r[2], r[3], float(r[4]), r[5]) for r in read_rows("current_placements.csv")]:
        cells[(l, n, yg, p)] += v
        at[s] += v
    assert all(v <= cohort.get(k, 0) + 1e-9 for k, v in cells.items()), "placed beyond the cohort"
    assert all(at[s["id"]] <= float(s["places"]) + 1e-9 for s in settings), "placed beyond places"
    for c in setting_needs:
        if c["places"]:
            got = sum(float(r[4]) for r in read_rows("current_placements.csv") if r[0] == c["setting"] and r[2] == c["need"])
            assert got <= float(c["places"]) + 1e-9, f"beyond the {c['need']} cap at {c['setting']}"

    print(f"base year: {base_total:.1f} children; placed now {sum(at.values()):.1f}")
    print("totals by year and variant: run `sufficiency forecast` on the horizon model and its scenarios")


def read_rows(name):
    with open(HERE / name, newline="", encoding="utf-8") as f:
        r = csv.reader(f)
        next(r)
        return list(r)


if __name__ == "__main__":
    main()
