#!/usr/bin/env python3
"""Derive the whole caseload of the SYNTHETIC Cheshire East sample: every EHC plan.

The five-year sample (cohort.csv, current_placements.csv) holds the 1,553 of the council's
4,871 plans of January 2025 that need a specialist place. This script adds the other 3,318
(mainstream schools, general further education and training providers, alternative
provision, educated elsewhere or placement not recorded, early years), writing beside
itself into all-plans/:

  settings.csv            the settings that hold them: a mainstream pool and an "other
                          arrangements" pool for each locality, general FE colleges and
                          training providers, two alternative provision centres, one
                          early years pool (all names invented)
  cohort.csv              those children by locality, need, year group and provision tier
  current_placements.csv  where they are in the base year
  setting_places.csv      the mainstream pools', colleges' and AP centres' places rising a
                          year (POOL_GROWTH)
  forecast_rates.csv      new plans and ceasing rates for every plan (see "3. Forecast" below)
  tier_policy.csv         how new plans of each need and phase are shared among the tiers
                          (see "4. Tier policy" below, from the published new plans)

models/cheshire-east-all-plans.toml adds the first four to models/cheshire-east-horizon.toml
and uses the last two in place of the specialist sample's rates and the base year's split.

Nothing here is the council's data. The figures that calibrate the tables are the DfE's
published aggregates for Cheshire East ("Education, health and care plans", reporting year
2025, ../shared/data/dfe-ehc-plans-2025/ beside the project, Open Government Licence v3.0):
caseload.csv (column names quoted below), sen_needs_all_plans.csv and newplans.csv; costs are cited from
../shared/domain/figures.md as "figures.md, <section>" or said to be assumed.

Run from anywhere:  python3 sample-data/cheshire-east/derive_all_plans.py
Standard library only; deterministic (no randomness): two runs give byte-identical files.
It reads derive.py's locality table (catchment population x relative rate, the weights
derive.py splits demand by) and the five-year sample's cohort.csv and forecast_rates.csv.
"""

import csv
import math
import sys
from collections import defaultdict
from pathlib import Path

HERE = Path(__file__).resolve().parent
OUT = HERE / "all-plans"
DATA = HERE / ".." / ".." / ".." / "shared" / "data" / "dfe-ehc-plans-2025"

sys.dont_write_bytecode = True  # no __pycache__ beside the sample
sys.path.insert(0, str(HERE))
import derive  # noqa: E402  (the locality table: derive.LOCALITIES)

NEEDS = derive.NEEDS
# Year groups N1 to 20: 15 to 20 are the post-19 phase (ages 19 to 24 at the 31 August,
# models/cheshire-east-all-plans.toml [horizon.phase_year_groups]); the published caseload
# has young people up to 23 (year 19).
YEAR_GROUPS = ["N1", "N2", "R"] + [str(y) for y in range(1, 21)]
LAST_YEAR_GROUP = 20
PHASE_OF = {"N1": "early-years", "N2": "early-years", "R": "primary"}
PHASE_OF.update({str(y): "primary" for y in range(1, 7)})
PHASE_OF.update({str(y): "secondary" for y in range(7, 12)})
PHASE_OF.update({str(y): "post-16" for y in range(12, 15)})
PHASE_OF.update({str(y): "post-19" for y in range(15, 21)})
PHASES = ["early-years", "primary", "secondary", "post-16", "post-19"]

# ---------------------------------------------------------------------------
# 1. The plans not in a specialist place (caseload.csv, Cheshire East, 202425)
# ---------------------------------------------------------------------------
# Each group of the whole caseload: (caseload.csv columns summed, sen_needs_all_plans.csv
# "Type of placement" rows summed). The specialist columns (special schools, resourced
# provision and SEN units, specialist post-16 institutions: 1,553) are the five-year
# sample's and are left out here. The six groups add up to 4,871 - 1,553 = 3,318.
GROUPS = {
    # Mainstream schools less their resourced provisions and SEN units (planned already):
    # 2,536 - 24 - 116 - 19 = 2,377.
    "mainstream": (["mainstream_la_maintained", "mainstream_academy", "mainstream_free_school",
                    "mainstream_independent"],
                   ["Mainstream - LA maintained", "Mainstream - academy",
                    "Mainstream - free school", "Mainstream - independent"]),
    # General FE and tertiary colleges, 458.
    "college": (["general_fe_tertiary_colleges"], ["FE - general FE and tertiary colleges"]),
    # Other providers on the UK register of learning providers (training providers), 85.
    "training": (["ukrlp_provider"], ["FE - UKRLP provider"]),
    # Alternative provision and pupil referral units, 11.
    "ap": (["ap_pru_total"], ["AP/PRU - total"]),
    # Educated elsewhere (elective home education 39, other arrangements by the LA 48, Welsh
    # establishments 3, other schools 5, other placement settings 8, NEET 97, not in education
    # 36 + 38: 274) and placement not recorded (65): 339. Not recorded is put here, with the
    # children counted where they are, rather than given a school place the data does not show.
    "elsewhere": (["ed_elsewhere", "placement_unknown"],
                  ["Educated elsewhere - total", "Placement not recorded"]),
    # Non-maintained early years settings, 48.
    "early-years": (["nm_early_years"], ["Non-maintained early years"]),
}
# The provision tier of each group (models/README.md, "demand"): colleges, training
# providers and early years settings are mainstream with support.
TIER = {"mainstream": "mainstream", "college": "mainstream", "training": "mainstream",
        "ap": "alternative-provision", "elsewhere": "elsewhere", "early-years": "mainstream"}
SPECIALIST_PLANS = 1553  # derive.py, PUBLISHED_SPECIALIST
ALL_PLANS = 4871         # caseload.csv, ehcplans

NEED_COLUMN = {n: f"number_{n.lower()}" for n in NEEDS}


def year_group_of(age_label):
    """caseload.csv's age (at the 31 August before the January, data-standards.md) as a
    national curriculum year: year = age - 4, 'under 3' N1; 19 to 23 are years 15 to 19 of
    the post-19 phase (the specialist sample, which has no post-19 phase, keeps its young
    people of 19 and over in year 14)."""
    if age_label == "under 3":
        return "N1"
    age = int(age_label.split()[1])
    if age <= 2:
        return "N1"
    if age == 3:
        return "N2"
    return "R" if age == 4 else str(min(age - 4, LAST_YEAR_GROUP))


# ---------------------------------------------------------------------------
# 2. Settings (names invented; costs a place a year)
# ---------------------------------------------------------------------------
# Mainstream top-up: figures.md ("Cost per place") gives none; £8,000 is the sample's own
# assumption for the high-needs block's mainstream line (sample-data/README.md, "The
# high-needs block": 2,536 plans x £8,000). Paid per child, no place funding.
COST_MAINSTREAM = 8000
# General FE and training providers: £12,000, the same block's assumption for FE (458 plans
# x £12,000). Assumed.
COST_COLLEGE = 12000
# Alternative provision: £10,000 place funding (figures.md, "Cost per place": a special
# school's; models/README.md gives AP a special school's place funding) + the mainstream
# top-up above: £18,000. Assumed.
COST_AP = 18000
# Other arrangements (EOTAS packages, tuition; nothing for home education or NEET): an
# assumed average of £5,000. Early years settings: an assumed £6,000 (inclusion funding and
# a top-up). figures.md has neither.
COST_OTHER = 5000
COST_EARLY_YEARS = 6000
# Policy capacity of the mainstream pools, colleges and early years pool: the base year's
# children there plus 10% headroom (an assumption: the places mainstream schools would take
# children with plans in, not a count of seats).
HEADROOM = 0.10
# The mainstream pools and colleges are not a limit on the plan: a school or college named in
# a child's plan must admit them (Children and Families Act 2014, s.43), and a full pool would
# push mainstream children up into special school places, the opposite of what happens. So
# from 2026/27 their places rise 15% a year (setting_places.csv), the growth of all the
# council's plans over six years (caseload.csv, ehcplans, January 2019 to 2025: 2,087 to
# 4,871, 15.2% a year), ahead of the forecast's. The early years pool keeps its base-year
# places: the locality's pool (nursery classes) takes the rest. The pools take early years,
# primary and secondary: new post-16 places are at the colleges (the base year's 80.1 young
# people in school sixth forms stay in their pool until they leave).
POOL_GROWTH = 0.15
FIRST_YEAR = 2025
YEARS = 5
# Other arrangements are not a place anyone runs short of: twice the base year's children,
# so the pool never binds in the five years (an assumption that keeps "unmet" for real gaps).
OTHER_ARRANGEMENTS_FACTOR = 2.0
# Alternative provision: two centres of 8 places (16 for the 11 children of January 2025),
# rising as the pools do (POOL_GROWTH) from 2026/27: the published new plans put 4 of 566
# outside specialist places in AP in 2024 (0.7%, against 0.3% of the caseload), so the tier
# policy grows AP (about 23 children by 2029/30), and the council commissions AP places as it
# needs them (an assumption: without it the forecast leaves up to 7 unmet by 2029/30).
AP_PLACES = 8

# (id, name, near locality) for the colleges, training providers, AP centres and early years.
COLLEGES = [
    ("fe-south-cheshire-vale", "South Cheshire Vale College", "crewe"),
    ("fe-bollin-valley", "Bollin Valley College", "macclesfield"),
    ("fe-dane-sixth-form", "Dane Sixth Form and Tertiary College", "congleton"),
]
TRAINING = ("fe-cheshire-training", "Cheshire East training providers (UKRLP)", "sandbach")
AP_CENTRES = [
    ("ap-weaver-learning-centre", "Weaver Learning Centre (alternative provision)", "crewe"),
    ("ap-tytherington-centre", "Tytherington Centre (alternative provision)", "macclesfield"),
]
EARLY_YEARS = ("ey-pvi-nurseries", "Early years settings (private, voluntary and independent)",
               "sandbach")

# ---------------------------------------------------------------------------
# 3. Forecast
# ---------------------------------------------------------------------------
# A cohort model shares each need and year group's new plans among the tiers in the base
# year's proportions for that need and phase (models/README.md, "Need by year"). The
# specialist sample's new_plans count only specialist plans; shared among every tier they
# would move most of them into mainstream. So forecast_rates.csv here is the specialist
# rates with new_plans divided by the specialist share of the need and phase, which gives
# the specialist tiers exactly the specialist sample's new plans and every other tier its
# share in proportion. Where the specialist sample has no children of a need and phase (early
# years), the new plans are those that keep the non-specialist base cohort's shape (as
# derive_horizon.py does for the specialist sample) at the same growth. Ceasing rates and
# growth are the specialist sample's, but for the tiers outside specialist places at 15 to
# 18 and the post-19 years below.
#
# Ceasing rates by tier. The specialist sample's ceasing rates at years 11 to 13 (0.12 to
# 0.624 at year 11) are its children moving from specialist places to colleges at 16; applied
# to every tier they removed up to 62% of the children outside specialist places at 16, where
# the published caseload has as many of them at 16 as at 15. So forecast_rates.csv has a
# `tier` column (models/README.md, "Need by year"): for the tiers outside specialist places
# (OWN_CEASING_TIERS) at years 11 to 14 (TIER_CEASING_YEARS) a row of their own ceasing rate,
# the share that leaves so that the next year group a year on is the published one's size
# (caseload.csv by age, all needs together, outside specialist places) grown at the variant's
# growth, after the new plans arriving there (ceasing_to_keep_shape). The specialist tiers
# keep the specialist sample's rates, and at year 14 all leave (1.000, as the specialist
# sample's "past year 14 all leave": it has no post-19 phase and keeps its young people of 19
# and over in year 14).
#
# Post-19 (years 15 to 20, ages 19 to 24): only children outside specialist places. No new
# plans (newplans.csv: 2 of the 566 outside specialist places in 2024 started at 19 or over,
# one at a college, one educated elsewhere; they set the tier policy's post-19 rows, and
# would add under one a year), and each year's ceasing rate
# keeps the published shape by age as above; all leave after year 20 (the plan ends at 25).
OWN_CEASING_TIERS = ["alternative-provision", "elsewhere", "mainstream"]
TIER_CEASING_YEARS = ["11", "12", "13", "14"]


# ---------------------------------------------------------------------------
# 4. Tier policy (newplans.csv, Cheshire East, calendar year 2024, the latest)
# ---------------------------------------------------------------------------
# Without a tier policy the new plans of a need and phase follow the base year's split of
# the whole caseload, so the tiers outside specialist places grow in the base year's
# proportions: the 274 educated elsewhere and 65 not recorded (10% of all plans, 24% of
# post-16) get as large a share of new plans as of the caseload. The published new plans say
# otherwise. tier_policy.csv keeps each need and phase's specialist shares (resourced
# provision and special school) exactly as the base year's, so the specialist children stay
# exactly the five-year sample's (tests/e2e/all_plans.rs asserts it), and shares the rest
# among mainstream, alternative provision and elsewhere as the council's new plans of 2024
# were shared among those setting types, by phase from the "Age when plan started" rows.
# Following newplans.csv in full would conflict with the specialist sample: only 27 of the
# 593 new plans of 2024 were in specialist places (special 22, resourced provision and units
# 4, specialist post-16 1), against 1,553 of 4,871 in the caseload; so the published split is
# taken among the non-specialist tiers only.
NEW_PLANS_YEAR = "2024"
# The non-specialist columns of newplans.csv, by tier (as GROUPS and TIER above: colleges,
# training providers and early years are mainstream with support; not recorded is elsewhere).
NEW_PLAN_TIERS = {
    "mainstream": ["mainstream_la_maintained", "mainstream_academy", "mainstream_free_school",
                   "mainstream_independent", "general_fe_tertiary_colleges", "ukrlp_provider",
                   "nm_early_years"],
    "alternative_provision": ["ap_pru_la_maintained", "ap_pru_academy", "ap_pru_free_school"],
    "elsewhere": ["ed_elsewhere", "placement_unknown"],
}
# Children under compulsory school age not in a setting ("not in education or training -
# other age groups", neet_other, in ed_elsewhere: 30 of the 2024 new plans, all at 3 to 5) are
# counted mainstream here, not elsewhere: a tier is a child's for the whole forecast, and
# these children start nursery or reception at their local school, not education otherwise.
PRE_SCHOOL_AT_HOME = "neet_other"
POLICY_TIERS = ["mainstream", "inclusion_base", "resourced_provision", "special_school",
                "alternative_provision", "elsewhere"]
# The cohort's provision codes as tier_policy.csv's columns (blank in the specialist
# cohort: any specialist place, models/README.md "demand").
POLICY_COLUMN = {"": "resourced_provision", "resourced-provision": "resourced_provision",
                 "special-school": "special_school", "mainstream": "mainstream",
                 "alternative-provision": "alternative_provision", "elsewhere": "elsewhere"}


def phase_of_age(label):
    """newplans.csv's age when the plan started (in the calendar year) as a phase: 4 and
    under early years, 5 to 10 primary, 11 to 15 secondary, 16 to 18 post-16, 19 and over
    post-19 (an approximation: a child of 4 may start a plan in reception, one of 10 or 11
    in either phase)."""
    if "under" in label:
        return "early-years"
    age = int(label.split()[1])
    if age <= 4:
        return "early-years"
    return ("primary" if age <= 10 else "secondary" if age <= 15 else "post-16" if age <= 18
            else "post-19")


def published_new_plans():
    """Non-specialist new plans of 2024 by phase and tier, and over every age."""
    rows = [r for r in read_csv(DATA / "newplans.csv")
            if r["la_name"] == "Cheshire East" and r["time_period"] == NEW_PLANS_YEAR
            and r["geographic_level"] == "Local authority"]
    by_phase = defaultdict(float)
    all_ages = defaultdict(float)
    for r in rows:
        if r["breakdown_topic"] == "Age when plan started":
            phase = phase_of_age(r["breakdown"])
            for tier, cols in NEW_PLAN_TIERS.items():
                v = sum(number(r[c]) for c in cols)
                # Alternative provision is for pupils of compulsory school age: a plan started
                # there at 16 or over (3 in 2024, all at 16) began in year 11.
                at = ("secondary" if tier == "alternative_provision" and phase in ("post-16", "post-19")
                      else phase)
                by_phase[at, tier] += v
                all_ages[tier] += v
            at_home = number(r[PRE_SCHOOL_AT_HOME])
            assert at_home == 0 or phase in ("early-years", "primary"), r["breakdown"]
            for phase_tier, sign in (((phase, "mainstream"), 1), ((phase, "elsewhere"), -1)):
                by_phase[phase_tier] += sign * at_home
                all_ages[phase_tier[1]] += sign * at_home
    total = next(r for r in rows if r["breakdown_topic"] == "New EHC plans")
    published_total = sum(number(total[c]) for cols in NEW_PLAN_TIERS.values() for c in cols)
    assert sum(all_ages.values()) == published_total, "the age rows add up to the total"
    return by_phase, all_ages


def tier_policy(extra):
    """Rows of tier_policy.csv: for each need and phase with children in the base year, the
    base year's specialist shares, and the rest shared as the published new plans ("4. Tier
    policy" above)."""
    base = defaultdict(float)
    for r in read_csv(HERE / "cohort.csv"):
        base[r["need"], PHASE_OF[r["year_group"]], POLICY_COLUMN[r.get("provision", "")]] += float(r["children"])
    for (lid, n, yg, p), t in extra.items():
        base[n, PHASE_OF[yg], POLICY_COLUMN[p]] += t / 10
    by_phase, all_ages = published_new_plans()
    rows = []
    for n in NEEDS:
        for phase in PHASES:
            cell = {tier: base[n, phase, tier] for tier in POLICY_TIERS}
            total = sum(cell.values())
            if total <= 0:
                continue  # no children: no new plans (forecast_rates.csv), no row
            shares = {tier: cell[tier] / total for tier in POLICY_TIERS}
            rest = sum(shares[t] for t in NEW_PLAN_TIERS)
            published = {t: by_phase[phase, t] for t in NEW_PLAN_TIERS}
            if sum(published.values()) <= 0:
                published = all_ages
            for t in NEW_PLAN_TIERS:
                shares[t] = rest * published[t] / sum(published.values())
            written = {t: f"{shares[t]:.6f}" for t in POLICY_TIERS}
            # Rounding to millionths: the largest share takes the remainder, so they add to 1.
            top = max(POLICY_TIERS, key=lambda t: shares[t])
            written[top] = f"{1 - sum(float(written[t]) for t in POLICY_TIERS if t != top):.6f}"
            rows.append([n, phase] + [written[t] for t in POLICY_TIERS])
    return rows


def read_csv(path):
    with open(path, newline="", encoding="utf-8-sig") as f:
        return list(csv.DictReader(f))


def write_csv(name, header, rows):
    OUT.mkdir(exist_ok=True)
    with open(OUT / name, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(header)
        w.writerows(rows)


def number(s):
    return int(s) if s.strip().isdigit() else 0


def published():
    """Group x year group totals (caseload.csv age rows) and group x need totals
    (sen_needs_all_plans.csv), and the all-plans need x year group pattern (seed)."""
    rows = [r for r in read_csv(DATA / "caseload.csv")
            if r["la_name"] == "Cheshire East" and r["time_period"] == "202425"
            and r["geographic_level"] == "Local authority"]
    total = next(r for r in rows if r["breakdown"] == "All EHC plans")
    assert int(total["ehcplans"]) == ALL_PLANS
    by_age = defaultdict(float)
    for r in rows:
        if r["breakdown_topic"] == "Child or young persons age":
            yg = year_group_of(r["breakdown"])
            for g, (cols, _) in GROUPS.items():
                by_age[g, yg] += sum(number(r[c]) for c in cols)
    needs_rows = [r for r in read_csv(DATA / "sen_needs_all_plans.csv")
                  if r["la_name"] == "Cheshire East" and r["time_period"] == "202425"
                  and r["geographic_level"] == "Local authority"]
    by_need = defaultdict(float)
    for g, (cols, types) in GROUPS.items():
        for r in needs_rows:
            if r["breakdown_topic"] == "Type of placement" and r["breakdown"] in types:
                for n in NEEDS:
                    by_need[g, n] += number(r[NEED_COLUMN[n]])
                assert number(r["number_need_unknown"]) == 0
        group_total = sum(number(total[c]) for c in cols)
        assert sum(by_age[g, yg] for yg in YEAR_GROUPS) == group_total, g
        assert sum(by_need[g, n] for n in NEEDS) == group_total, g
    seed = defaultdict(float)
    for r in needs_rows:
        if r["breakdown_topic"] == "Child or young persons age":
            yg = year_group_of(r["breakdown"])
            for n in NEEDS:
                seed[n, yg] += number(r[NEED_COLUMN[n]])
    assert sum(by_age.values()) == ALL_PLANS - SPECIALIST_PLANS
    return by_age, by_need, seed


def fit(group, by_age, by_need, seed):
    """Need x year group children of one group: the all-plans need-by-age pattern (seed,
    plus a little so no cell is impossible) fitted to the group's need and age totals by
    iterative proportional fitting, then rounded to tenths keeping the total."""
    m = {(n, yg): (seed[n, yg] + 0.1) if by_age[group, yg] > 0 and by_need[group, n] > 0 else 0.0
         for n in NEEDS for yg in YEAR_GROUPS}
    for _ in range(500):
        for n in NEEDS:
            s = sum(m[n, yg] for yg in YEAR_GROUPS)
            for yg in YEAR_GROUPS:
                m[n, yg] *= by_need[group, n] / s if s > 0 else 0.0
        for yg in YEAR_GROUPS:
            s = sum(m[n, yg] for n in NEEDS)
            for n in NEEDS:
                m[n, yg] *= by_age[group, yg] / s if s > 0 else 0.0
    total = round(sum(by_age[group, yg] for yg in YEAR_GROUPS) * 10)
    return dict(zip(m, largest_remainder(total, list(m.values()))))


def largest_remainder(tenths, weights):
    """tenths (an integer) shared in proportion to weights, whole tenths, exact sum; ties
    to the first."""
    s = sum(weights)
    if tenths == 0 or s <= 0:
        return [0] * len(weights)
    raw = [tenths * w / s for w in weights]
    parts = [math.floor(x) for x in raw]
    order = sorted(range(len(raw)), key=lambda i: (-(raw[i] - parts[i]), i))
    for i in order[: tenths - sum(parts)]:
        parts[i] += 1
    return parts


def nearest(lid, places):
    lat, lon = LOC[lid][1], LOC[lid][2]
    return min(places, key=lambda p: (derive.haversine_km(lat, lon, LOC[p[2]][1], LOC[p[2]][2]), p[0]))


LOC = {lid: (name, lat, lon) for lid, name, lat, lon, _, _ in derive.LOCALITIES}
WEIGHT = {lid: pop * rate for lid, _, _, _, pop, rate in derive.LOCALITIES}


def main():
    by_age, by_need, seed = published()
    localities = [lid for lid, *_ in derive.LOCALITIES]

    # Children (tenths) by group, locality, need, year group: each need x year group cell
    # split among localities by derive.py's weights (catchment population x relative rate).
    kids = {}
    for g in GROUPS:
        for (n, yg), t in fit(g, by_age, by_need, seed).items():
            for lid, part in zip(localities, largest_remainder(t, [WEIGHT[l] for l in localities])):
                if part:
                    kids[g, lid, n, yg] = part

    # Where each group is: its locality's pool, or the nearest college / AP centre.
    def setting_of(g, lid):
        return {"mainstream": lambda: f"ms-{lid}", "elsewhere": lambda: f"oa-{lid}",
                "college": lambda: nearest(lid, COLLEGES)[0], "training": lambda: TRAINING[0],
                "ap": lambda: nearest(lid, AP_CENTRES)[0], "early-years": lambda: EARLY_YEARS[0]}[g]()

    placed = defaultdict(int)
    at = defaultdict(int)
    cohort = defaultdict(int)
    for (g, lid, n, yg), t in kids.items():
        s = setting_of(g, lid)
        placed[s, lid, n, yg, TIER[g]] += t
        at[s] += t
        cohort[lid, n, yg, TIER[g]] += t

    def places(s, factor):
        return math.ceil(at[s] / 10 * factor)

    def site(lid):
        return f"{LOC[lid][1]:.4f}", f"{LOC[lid][2]:.4f}"

    settings = []
    for lid in localities:
        settings.append([f"ms-{lid}", f"Mainstream schools, {LOC[lid][0]}", "mainstream", *site(lid),
                         "yes", places(f"ms-{lid}", 1 + HEADROOM), "early-years;primary;secondary", "all",
                         COST_MAINSTREAM])
    for sid, name, near in COLLEGES + [TRAINING]:
        settings.append([sid, name, "general-fe", *site(near), "yes", places(sid, 1 + HEADROOM),
                         "post-16;post-19", "all", COST_COLLEGE])
    for sid, name, near in AP_CENTRES:
        settings.append([sid, name, "alternative-provision", *site(near), "yes", AP_PLACES, "all",
                         "all", COST_AP])
    sid, name, near = EARLY_YEARS
    settings.append([sid, name, "early-years", *site(near), "yes", places(sid, 1 + HEADROOM),
                     "early-years", "all", COST_EARLY_YEARS])
    for lid in localities:
        settings.append([f"oa-{lid}", f"Other arrangements, {LOC[lid][0]} (home, EOTAS, not in education)",
                         "other-arrangements", *site(lid), "yes",
                         places(f"oa-{lid}", OTHER_ARRANGEMENTS_FACTOR), "all", "all", COST_OTHER])
    assert all(at[s[0]] <= s[6] * 10 for s in settings), "every base-year child has a place"

    yg_order = {yg: i for i, yg in enumerate(YEAR_GROUPS)}
    write_csv("settings.csv", ["id", "name", "kind", "latitude", "longitude", "in_borough", "places",
                               "phases", "needs", "cost_per_place"], settings)
    write_csv("cohort.csv", ["locality", "need", "year_group", "children", "provision"],
              [[l, n, yg, f"{t / 10:.1f}", p] for (l, n, yg, p), t in
               sorted(cohort.items(), key=lambda kv: (kv[0][0], kv[0][1], yg_order[kv[0][2]], kv[0][3]))])
    write_csv("current_placements.csv",
              ["setting", "locality", "need", "year_group", "children", "provision", "residence"],
              [[s, l, n, yg, f"{t / 10:.1f}", p, ""] for (s, l, n, yg, p), t in
               sorted(placed.items(), key=lambda kv: (kv[0][0], kv[0][1], kv[0][2], yg_order[kv[0][3]]))])

    growth = []
    for s in settings:
        if s[2] in ("mainstream", "general-fe", "alternative-provision"):
            for k in range(1, YEARS):
                growth.append([s[0], f"{FIRST_YEAR + k}/{(FIRST_YEAR + k + 1) % 100:02d}",
                               math.ceil(s[6] * (1 + POOL_GROWTH) ** k)])
    write_csv("setting_places.csv", ["setting", "from_year", "places"], growth)

    rates = forecast_rates(cohort)
    write_csv("forecast_rates.csv",
              ["variant", "need", "year_group", "tier", "new_plans", "ceasing_rate", "growth"], rates)
    policy = tier_policy(cohort)
    write_csv("tier_policy.csv", ["need", "phase"] + POLICY_TIERS, policy)
    report(kids, settings, at, rates)


def forecast_rates(extra):
    """The specialist sample's rates, new plans scaled to every tier, the post-19 years, and
    the ceasing rates of the tiers outside specialist places at 15 to 18 ("3. Forecast")."""
    spec = defaultdict(float)
    for r in read_csv(HERE / "cohort.csv"):
        spec[r["need"], PHASE_OF[r["year_group"]]] += float(r["children"])
    other = defaultdict(float)
    other_yg = defaultdict(float)
    for (lid, n, yg, p), t in extra.items():
        other[n, PHASE_OF[yg]] += t / 10
        other_yg[n, yg] += t / 10
    rows = []
    arrivals = defaultdict(float)  # (variant, year group): new plans outside specialist places
    growth = {}
    for r in read_csv(HERE / "forecast_rates.csv"):
        n, yg, v = r["need"], r["year_group"], r["variant"]
        phase = PHASE_OF[yg]
        new = float(r["new_plans"])
        if spec[n, phase] > 0:
            new *= (spec[n, phase] + other[n, phase]) / spec[n, phase]
            arrivals[v, yg] += float(f"{new:.2f}") * other[n, phase] / (spec[n, phase] + other[n, phase])
        else:
            new = steady_arrivals(n, yg, other_yg, r)
            arrivals[v, yg] += float(f"{new:.2f}")
        # Past year 14 the specialist tiers all leave, as in the specialist sample (which has
        # no post-19 phase): its 0.02 at year 14 was never applied.
        ceasing = f"{1:.3f}" if yg == "14" else r["ceasing_rate"]
        rows.append([v, n, yg, "", f"{new:.2f}", ceasing, r["growth"]])
        growth[v, n] = r["growth"]
    by_yg = defaultdict(float)
    for (n, yg), t in other_yg.items():
        by_yg[yg] += t
    for v, n in growth:
        g = float(growth[v, n])
        # Post-19: no new plans (newplans.csv puts few plans outside specialist places at 19
        # and over), and each year's leavers those that keep the published shape by age.
        for y in range(15, LAST_YEAR_GROUP + 1):
            c = 1.0 if y == LAST_YEAR_GROUP else ceasing_to_keep_shape(by_yg, str(y), 0.0, g)
            rows.append([v, n, str(y), "", "0.00", f"{c:.3f}", growth[v, n]])
        for y in TIER_CEASING_YEARS:
            c = ceasing_to_keep_shape(by_yg, y, arrivals[v, YEAR_GROUPS[YEAR_GROUPS.index(y) + 1]], g)
            for tier in OWN_CEASING_TIERS:
                rows.append([v, n, y, tier, "", f"{c:.3f}", ""])
    order = {yg: i for i, yg in enumerate(YEAR_GROUPS)}
    variants = {v: i for i, v in enumerate(dict.fromkeys(r[0] for r in rows))}
    needs = {n: i for i, n in enumerate(dict.fromkeys(r[1] for r in rows))}
    rows.sort(key=lambda r: (variants[r[0]], needs[r[1]], order[r[2]], r[3]))
    return rows


def ceasing_to_keep_shape(by_yg, yg, arrivals, g):
    """The share of year group yg (all needs, outside specialist places) that leaves so that
    the next year group a year on is the published one's size grown at the forecast's rate g,
    with the new plans arriving there: 1 - (next - arrivals) x (1 + g) / this, from 0 to 1."""
    nxt = YEAR_GROUPS[YEAR_GROUPS.index(yg) + 1]
    if by_yg[yg] <= 0:
        return 1.0
    stay = (by_yg[nxt] - arrivals) * (1 + g) / by_yg[yg]
    return 1 - min(1.0, max(0.0, stay))


def steady_arrivals(n, yg, cohort_yg, rate_row):
    """New plans that keep a year group's size growing at the central rate, given the year
    below (derive_horizon.py's rule); at N1, the year group itself. Scaled as the variant's
    (low 0.9, high 1.1 of central: derive_horizon.py, VARIANTS)."""
    i = YEAR_GROUPS.index(yg)
    scale = {"low": 0.9, "high": 1.1}.get(rate_row["variant"], 1.0)
    g = 0.094  # derive_horizon.py, CENTRAL_GROWTH
    c = float(rate_row["ceasing_rate"])
    if i == 0:
        return cohort_yg[n, yg] * scale
    prev = YEAR_GROUPS[i - 1]
    return max(0.0, cohort_yg[n, yg] - cohort_yg[n, prev] * (1 - c) / (1 + g)) * scale


def report(kids, settings, at, rates):
    """Totals pasted into sample-data/README.md."""
    total = sum(kids.values()) / 10
    print(f"Plans added: {total:.1f} (published {ALL_PLANS - SPECIALIST_PLANS}); with the specialist "
          f"sample's 1,552.8: {total + 1552.8:.1f} of {ALL_PLANS}")
    for g in GROUPS:
        print(f"  {g:12s} {sum(t for k, t in kids.items() if k[0] == g) / 10:8.1f}  tier {TIER[g]}")
    by_kind = defaultdict(lambda: [0, 0, 0])
    for s in settings:
        k = by_kind[s[2]]
        k[0] += 1
        k[1] += s[6]
        k[2] += at[s[0]] / 10
    print("Settings by kind: kind, settings, places, children in the base year")
    for kind, (c, p, ch) in by_kind.items():
        print(f"  {kind:22s} {c:3d} {p:6d} {ch:8.1f}")
    for variant in ("low", "central", "high"):
        new = sum(float(r[4] or 0) for r in rates if r[0] == variant)
        print(f"New plans a year in the base year's terms ({variant}): {new:.1f}")


if __name__ == "__main__":
    main()
