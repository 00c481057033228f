#!/usr/bin/env python3
"""Derive the multi-year tables of the synthetic Cheshire East sample.

Reads the single-year tables beside this script (made by derive.py), solves the current
position with the tool (the base-year demand at the named settings), and writes:

  cohort.csv              base-year (2025/26) children by locality, need, year group, provision
  forecast_rates.csv      new children, ceasing rates and growth by need and year group, for
                          the variants low, central, high and semh-high
  current_placements.csv  where the base-year children are now
  setting_places.csv      places changing from a year on (in-borough places planned and
                          committed)

Usage (from the repository root):

  cargo build --release
  python3 sample-data/cheshire-east/derive_horizon.py target/release/sufficiency

Deterministic: no randomness; the same inputs give byte-identical files. Standard library
only. Every figure below is an assumption calibrated to ../shared/domain/figures.md, said
where it is made.
"""

import csv
import math
import subprocess
import sys
import tempfile
from collections import defaultdict
from pathlib import Path

HERE = Path(__file__).resolve().parent
FIRST_YEAR = 2025
YEARS = 5

# Age profile within each phase: the DfE's published ages of children in specialist places
# in Cheshire East, January 2025 (caseload.csv, "Child or young persons age" rows, special
# schools, resourced provision and SEN units, specialist post-16 institutions; Open
# Government Licence v3.0), with age taken at the 31 August before the school year (national
# curriculum year = age - 4). None are 3 or under. Year 14 holds everyone of 18 and over (59
# are 19-23): the model plans no post-19 phase.
AGE_COUNTS = {
    "early-years": [("N1", 0), ("N2", 0)],
    "primary": [("R", 32), ("1", 61), ("2", 86), ("3", 83), ("4", 84), ("5", 72), ("6", 106)],
    "secondary": [("7", 137), ("8", 135), ("9", 165), ("10", 162), ("11", 166)],
    "post-16": [("12", 90), ("13", 67), ("14", 48 + 59)],
}
AGE_PROFILE = {
    phase: [(yg, c / max(1, sum(n for _, n in groups))) for yg, c in groups]
    for phase, groups in AGE_COUNTS.items()
}
YEAR_GROUPS = [yg for phase in AGE_PROFILE.values() for yg, _ in phase]
PHASE_OF = {yg: phase for phase, groups in AGE_PROFILE.items() for yg, _ in groups}

# Share leaving each year (moving to mainstream, plan ceased, moving away) before any
# adjustment below: small, larger at the end of year 11 and of year 13 (figures.md: 44,862
# plans ceased in 2024 against ~600,000 active, about 7% a year, most at 16+; specialist
# placements cease less often).
BASE_CEASING = {yg: 0.02 for yg in YEAR_GROUPS}
BASE_CEASING.update({"11": 0.12, "13": 0.20})

# Growth of need a year: the DfE's series of plans in specialist places in Cheshire East
# (caseload.csv, the same columns as above, each January): 904 (2019), 908, 1,015, 1,131,
# 963, 1,482, 1,553 (2025). Over the six years that is (1,553 / 904)^(1/6) - 1 = 9.4% a
# year: the central case. Low: the last year's 4.8% (1,482 -> 1,553). High: 15.2%, the
# growth of all the council's plans over the same six years (2,087 -> 4,871), as if
# specialist need kept pace with plans.
CENTRAL_GROWTH = 0.094

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
    "low": {"scale": 0.90, "growth": 0.048},
    "central": {"scale": 1.00, "growth": CENTRAL_GROWTH},
    "high": {"scale": 1.10, "growth": 0.152},
    "semh-high": {"scale": 1.00, "growth": CENTRAL_GROWTH, "SEMH": 0.18},
}

# In-borough places planned and committed (figures.md, "Cheshire East": in-borough
# specialist places "rising from 487 to 669" (c. 2023); "special schools": Lavender Field
# 50 -> 75, Westfields 140 planned, the Springfield satellite): 778 in 2025/26 (derive.py:
# the places the children of January 2025 fill) to 943 by 2028/29. (setting, first year,
# places from then on.)
PLACE_CHANGES = [
    ("heronsgate-academy", 2026, 70),     # the planned 140-place school opens in two intakes
    ("heronsgate-academy", 2027, 140),
    ("hawthorn-academy", 2026, 75),       # 60 -> 75
    ("larchwood-satellite", 2027, 32),    # the Wilmslow satellite doubles
    ("rp-brookvale-high", 2027, 0),       # a resourced provision closes (14 places)
    ("foxglove-academy", 2028, 32),       # +8 primary SEMH places
]
IN_BOROUGH_KINDS = ("maintained-special", "academy-special", "resourced-provision")

# Every base-year child is placed now: current_placements.csv is the position of January
# 2025, so the base year is the outturn a finance officer can reconcile, not a plan. Where
# they are is the least-cost placement of the base-year demand at the named settings alone
# (the single-year model without its market: the settings hold the published number of
# children in each group, so every child has a place there), solved by the tool.
# The six residential placements of January 2025 (residential_settings.csv: 3 of 38-51
# weeks, 3 of 52 weeks) are the children placed furthest from home at independent schools.
RESIDENTIAL = [("38-week", 3.0), ("52-week", 3.0)]
INDEPENDENT_KINDS = ("independent-special", "non-maintained-special")


def current_position(binary):
    """Placements of the base-year demand at the named settings: the single-year model
    without its market, solved by the tool (`binary`), as dictionaries of placements.csv."""
    model = (HERE / ".." / ".." / "models" / "cheshire-east.toml").read_text(encoding="utf-8")
    lines = [line.replace("../sample-data/cheshire-east/", "") for line in model.splitlines()
             if not line.startswith("market = ")]
    with tempfile.TemporaryDirectory() as tmp:
        path = HERE / ".current-position.toml"
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        try:
            subprocess.run([binary, "solve", str(path), "--out", f"{tmp}/plan"], check=True,
                           stdout=subprocess.DEVNULL)
        finally:
            path.unlink()
        with open(f"{tmp}/plan/placements.csv", newline="", encoding="utf-8") as f:
            return list(csv.DictReader(f))


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

    # current_placements.csv: every base-year child where the current position places them,
    # in tenths of a child. A demand cell's children at several settings are shared among
    # its year groups by the north-west corner rule, so each setting's and each year group's
    # total is kept exactly (no rounding loss).
    by_cell = defaultdict(list)
    journey = {}
    kinds = {s["id"]: s["kind"] for s in settings}
    for p in current_position(sys.argv[1]):
        provision = "" if p["provision"] == "resourced-provision" else p["provision"]
        tenths = round(float(p["children"]) * 10)
        assert abs(tenths - float(p["children"]) * 10) < 1e-6, "placements in tenths of a child"
        if tenths > 0:
            by_cell[(p["locality"], p["need"], p["phase"], provision)].append([p["setting"], tenths])
            journey[(p["setting"], p["locality"])] = float(p["journey_minutes"])
    placed = []
    for (l, n, phase, prov), at_settings in sorted(by_cell.items()):
        groups = [[yg, round(cohort.get((l, n, yg, prov), 0.0) * 10)] for yg, _ in AGE_PROFILE[phase]]
        assert sum(t for _, t in at_settings) == sum(t for _, t in groups), f"{l} {n} {phase}: all placed"
        i = j = 0
        while i < len(at_settings) and j < len(groups):
            take = min(at_settings[i][1], groups[j][1])
            if take > 0:
                placed.append([at_settings[i][0], l, n, groups[j][0], take, prov, ""])
            at_settings[i][1] -= take
            groups[j][1] -= take
            if at_settings[i][1] == 0:
                i += 1
            if groups[j][1] == 0:
                j += 1
    # The residential placements: the furthest from home at independent schools.
    far = sorted((r for r in placed if kinds[r[0]] in INDEPENDENT_KINDS),
                 key=lambda r: (-journey[(r[0], r[1])], r[0], r[1], r[2], r[3]))
    for residence, children in RESIDENTIAL:
        left = round(children * 10)
        for r in far:
            if left == 0:
                break
            if r[6] or r[4] == 0:
                continue
            take = min(left, r[4])
            r[4] -= take
            placed.append(r[:4] + [take, r[5], residence])
            left -= take
        assert left == 0, "residential placements found"
    rows = [[s, l, n, yg, f"{t / 10:.1f}", prov, res] for s, l, n, yg, t, prov, res in sorted(
        placed, key=lambda r: (r[0], r[1], r[2], YEAR_GROUPS.index(r[3]), r[5], r[6])) if t > 0]
    write("current_placements.csv",
          ["setting", "locality", "need", "year_group", "children", "provision", "residence"], rows)

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
