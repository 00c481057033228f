#!/usr/bin/env python3
"""Derive the multi-year tables of the synthetic Cheshire East sample.

Reads the single-year tables beside this script (made by derive.py) and the placements of
the single-year optimum, and writes:

  cohort.csv              base-year (2025/26) children by locality, need, year group, provision
  forecast_rates.csv      new children, ceasing rates and growth by need and year group, for
                          the variants low, central, high and semh-high
  current_placements.csv  where the base-year children are now
  setting_places.csv      places changing from a year on (in-borough places planned and
                          committed)

Usage (from the repository root):

  cargo build --release
  target/release/sufficiency solve models/cheshire-east.toml --out /tmp/base-plan
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

# Share leaving each year (moving to mainstream, plan ceased, moving away) before any
# adjustment below: small, larger at the end of year 11 and of year 13 (figures.md: 44,862
# plans ceased in 2024 against ~600,000 active, about 7% a year, most at 16+; specialist
# placements cease less often).
BASE_CEASING = {yg: 0.02 for yg in YEAR_GROUPS}
BASE_CEASING.update({"11": 0.12, "13": 0.20})

# Central growth of need a year (figures.md, "growth in plans": +10% (2022), +9% (2023),
# +11.5% (2024), +10.8% (2025)).
CENTRAL_GROWTH = 0.10

# New children a year by need and year group are not guessed: they are what keeps the base
# cohort's own shape (its need x year-group profile, from derive.py's need and phase mix and
# AGE_PROFILE above) growing at CENTRAL_GROWTH. For a cohort C(y) growing at g a year, with
# ceasing c(y) and new children A(y) (x (1 + g)^t in year t):
#     A(y) = C(y) - C(y - 1) x (1 - c(y - 1)) / (1 + g)
# Where that is negative (fewer children in a year group than the year below it leaves
# behind: SLCN at secondary, SEMH after 16), more of the year below leave instead: its
# ceasing rate is raised until A(y) = 0. So every need and phase grows at about g a year,
# and no trend in the five years is an artefact of the rates. The resulting arrivals by
# age are checked against figures.md ("age at which a plan starts": 26.4% at 4-5, 18.7% at
# 10-11, 5.4% at 16+) and printed.

# Variants: (scale on the central new children, their growth a year after the base year).
VARIANTS = {
    "low": {"scale": 0.90, "growth": 0.05},
    "central": {"scale": 1.00, "growth": CENTRAL_GROWTH},
    "high": {"scale": 1.10, "growth": 0.15},
    "semh-high": {"scale": 1.00, "growth": CENTRAL_GROWTH, "SEMH": 0.18},
}

# In-borough places planned and committed (figures.md, "Cheshire East": in-borough
# specialist places "rising from 487 to 669"; "special schools": Lavender Field 50 -> 75,
# Westfields 140 planned, the Springfield satellite): 490 in 2025/26 (derive.py) to 671 by
# 2028/29. (setting, first year, places from then on.)
PLACE_CHANGES = [
    ("heronsgate-academy", 2026, 70),     # the planned 140-place school opens in two intakes
    ("heronsgate-academy", 2027, 140),
    ("hawthorn-academy", 2026, 75),       # 50 -> 75
    ("larchwood-satellite", 2027, 32),    # the Wilmslow satellite doubles
    ("rp-brookvale-high", 2027, 0),       # a resourced provision closes (8 places)
    ("foxglove-academy", 2028, 28),       # +8 primary SEMH places
]
IN_BOROUGH_KINDS = ("maintained-special", "academy-special", "resourced-provision")

# Share of the base-year children already placed (the rest are newly assessed, to place).
ALREADY_PLACED = 0.92
# Children the base plan buys from the market (market.csv) are not written as placed now:
# current_placements.csv may name only settings of the settings table, not market steps
# (the tool refuses them), so they are placed afresh in 2025/26, and the plan keeps them
# where it puts them from then on.


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

    # forecast_rates.csv: new children and ceasing rates that keep each need's base profile
    # growing at CENTRAL_GROWTH (see above).
    # The profile is each need's phase totals spread by AGE_PROFILE, before the cohort's
    # rounding to tenths of a child (which would make the small needs' profiles lumpy).
    by_need = defaultdict(float)
    by_need_phase = defaultdict(float)
    for (l, n, yg, p), v in cohort.items():
        by_need[n] += v
        by_need_phase[n, PHASE_OF[yg]] += v
    by_need_yg = {(n, yg): by_need_phase[n, phase] * share
                  for n in by_need for phase, groups in AGE_PROFILE.items() for yg, share in groups}
    base_total = sum(by_need.values())
    needs = sorted(by_need, key=lambda n: -by_need[n])
    arrivals, ceasing = {}, {}
    g = CENTRAL_GROWTH
    for n in needs:
        for i, yg in enumerate(YEAR_GROUPS):
            ceasing[n, yg] = BASE_CEASING[yg]
        for i, yg in enumerate(YEAR_GROUPS):
            if i == 0:
                arrivals[n, yg] = by_need_yg[n, yg]
                continue
            prev = YEAR_GROUPS[i - 1]
            a = by_need_yg[n, yg] - by_need_yg[n, prev] * (1 - ceasing[n, prev]) / (1 + g)
            if a < 0:
                # more of the year below leave, so that this year group keeps its size
                ceasing[n, prev] = 1 - by_need_yg[n, yg] * (1 + g) / by_need_yg[n, prev]
                a = 0.0
            if by_need_yg[n, yg] == 0:
                arrivals[n, yg] = 0.0
                continue
            arrivals[n, yg] = a
    rows = []
    for variant, v in VARIANTS.items():
        for n in needs:
            growth = v.get(n, v["growth"])
            for yg in YEAR_GROUPS:
                rows.append([variant, n, yg, f"{arrivals[n, yg] * v['scale']:.2f}",
                             f"{ceasing[n, yg]:.3f}", f"{growth:.2f}"])
    write("forecast_rates.csv", ["variant", "need", "year_group", "new_plans", "ceasing_rate", "growth"], rows)

    # current_placements.csv: 92% of the single-year optimum's placements, by year group
    # in proportion to the cohort, rounded down to a tenth so that no setting, per-need cap
    # or cohort cell is exceeded.
    placed = defaultdict(float)
    market = {m["id"] for m in read("market.csv")}
    with open(sys.argv[1], newline="", encoding="utf-8") as f:
        for p in csv.DictReader(f):
            if p["setting"] in market:
                continue
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

    # setting_places.csv: in-borough places planned and committed.
    rows = []
    for sid, year, places in PLACE_CHANGES:
        rows.append([sid, year_label(year), places])
    write("setting_places.csv", ["setting", "from_year", "places"], rows)

    # Checks: the placements fit the cohort and the places.
    cells = defaultdict(float)
    at = defaultdict(float)
    for s, l, n, yg, v, p in [(r[0], r[1], r[2], r[3], float(r[4]), r[5]) for r in read_rows("current_placements.csv")]:
        cells[(l, n, yg, p)] += v
        at[s] += v
    assert all(v <= cohort.get(k, 0) + 1e-9 for k, v in cells.items()), "placed beyond the cohort"
    limits = {s["id"]: float(s["places"]) for s in settings}
    assert all(at[s] <= limits[s] + 1e-9 for s in at), "placed beyond places"
    for c in setting_needs:
        if c["places"]:
            got = sum(float(r[4]) for r in read_rows("current_placements.csv") if r[0] == c["setting"] and r[2] == c["need"])
            assert got <= float(c["places"]) + 1e-9, f"beyond the {c['need']} cap at {c['setting']}"

    print(f"base year: {base_total:.1f} children; placed now {sum(at.values()):.1f}")
    report(needs, by_need_yg, arrivals, ceasing, settings)


def report(needs, cohort, arrivals, ceasing, settings):
    """Print the checks pasted into sample-data/README.md."""
    total_c = sum(cohort.values())
    total_a = sum(arrivals.values())
    ages = {"4-5 (N2, R)": ["N2", "R"], "10-11 (6, 7)": ["6", "7"], "16+ (12-14)": ["12", "13", "14"]}
    print()
    print(f"New children a year (central, base-year terms): {total_a:.1f} = "
          f"{100 * total_a / total_c:.1f}% of the base cohort")
    for label, ygs in ages.items():
        a = sum(arrivals[n, y] for n in needs for y in ygs)
        print(f"  arriving at {label}: {100 * a / total_a:.1f}%")
    leaving = sum(cohort[n, y] * (1.0 if y == "14" else ceasing[n, y]) for n in needs for y in YEAR_GROUPS)
    print(f"Leaving a year: {leaving:.1f} = {100 * leaving / total_c:.1f}% of the base cohort")
    bands = {"EY (N1-N2)": ["N1", "N2"], "primary (R-6)": [y for y, _ in AGE_PROFILE["primary"]],
             "secondary (7-11)": [y for y, _ in AGE_PROFILE["secondary"]],
             "post-16 (12-14)": [y for y, _ in AGE_PROFILE["post-16"]]}
    print("Base cohort by phase: " + ", ".join(
        f"{k} {100 * sum(cohort[n, y] for n in needs for y in v) / total_c:.1f}%" for k, v in bands.items()))
    print("Ceasing rates raised above the base (need, year group: rate):")
    for n in needs:
        raised = [f"{y} {ceasing[n, y]:.2f}" for y in YEAR_GROUPS
                  if abs(ceasing[n, y] - BASE_CEASING[y]) > 1e-9 and y != "14"]
        if raised:
            print(f"  {n}: " + ", ".join(raised))
    inb = {s["id"]: float(s["places"]) for s in settings if s["kind"] in IN_BOROUGH_KINDS}
    line = []
    for k in range(YEARS):
        for sid, year, places in PLACE_CHANGES:
            if year == FIRST_YEAR + k:
                inb[sid] = places
        line.append(f"{year_label(FIRST_YEAR + k)} {sum(inb.values()):.0f}")
    print("In-borough specialist places: " + ", ".join(line))


def read_rows(name):
    with open(HERE / name, newline="", encoding="utf-8") as f:
        r = csv.reader(f)
        next(r)
        return list(r)


if __name__ == "__main__":
    main()
