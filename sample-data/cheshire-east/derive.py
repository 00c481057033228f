#!/usr/bin/env python3
"""Derive the SYNTHETIC sample authority modelled on Cheshire East.

Writes seven CSV files beside this script (localities, settings, setting_needs,
market, demand, road_nodes, road_edges) and prints summary totals for
sample-data/README.md.

Nothing here is the council's data. Every setting name is invented. The
figures that calibrate the tables are cited from ../shared/domain/figures.md
(the `shared/` folder beside the project root) as "figures.md, <section>".

Run from anywhere:  python3 sample-data/cheshire-east/derive.py
Standard library only; deterministic (random.Random(2025)), so two runs give
byte-identical files.
"""

import csv
import math
import random
from collections import defaultdict
from pathlib import Path

SEED = 2025
OUT = Path(__file__).resolve().parent

NEEDS = ["ASD", "SEMH", "SLCN", "MLD", "SLD", "PMLD", "SpLD", "HI", "VI", "MSI", "PD", "OTH"]
PHASES = ["early-years", "primary", "secondary", "post-16"]

# ---------------------------------------------------------------------------
# 1. Demand parameters
# ---------------------------------------------------------------------------

# Children needing a specialist place in the base year: the DfE's published position for
# Cheshire East in January 2025 (../shared/data/dfe-ehc-plans-2025/, Open Government Licence
# v3.0), the latest published before the base year 2025/26. caseload.csv ("All EHC plans"):
# special schools LA maintained 473 and academy/free 376 (state: 849), independent 381 and
# non-maintained 67 (448), resourced provision and SEN units 24 + 116 + 19 (159), specialist
# post-16 institutions 97: 1,553 of the council's 4,871 plans. The rest (mainstream classes,
# general further education, alternative provision, elsewhere) are not planned here.
PUBLISHED_SPECIALIST = {"state": 849, "independent": 448, "resourced": 159, "post-16": 97}
TOTAL_DEMAND = sum(PUBLISHED_SPECIALIST.values())   # 1,553

# Primary need of those 1,553 plans: sen_needs_all_plans.csv, "Type of placement" rows
# (Special - LA maintained, Academy/free schools, independent, non-maintained; Mainstream -
# academy (resourced provision), academy (SEN unit), LA maintained (resourced provision);
# FE - specialist post-16 institutions), summed by need. No plan's need is unknown.
NEED_WEIGHT = {
    "ASD": 427, "SEMH": 412, "SLCN": 298, "MLD": 149, "SLD": 113, "PMLD": 19, "SpLD": 6,
    "HI": 21, "VI": 8, "MSI": 19, "PD": 38, "OTH": 43,
}
assert sum(NEED_WEIGHT.values()) == TOTAL_DEMAND

# Phase mix of specialist demand: caseload.csv, "Child or young persons age" rows, the
# specialist columns above, January 2025. The age is taken as at the 31 August before the
# school year (data-standards.md: national curriculum year = age - 4, reception at 4):
# ages 3 and under 0 (early years), 4-10 524 (primary, reception to year 6), 11-15 765
# (secondary, years 7-11), 16-18 205 and 19-23 59 (post-16: the model's year 14 holds
# everyone of 18 and over, since it plans no post-19 phase).
PHASE_SHARE = {"early-years": 0.0, "primary": 524.0, "secondary": 765.0, "post-16": 264.0}

# How each need leans across phases (relative weights before fitting): SLCN
# is identified young, SEMH and SpLD peak at secondary, SLD/PMLD stay to 19.
# SEMH and SpLD are hardly ever the primary need recorded before school age,
# so the sample has none in early years.
# Iterative proportional fitting then makes the need and phase totals match
# NEED_WEIGHT and PHASE_SHARE exactly, keeping these leanings.
PHASE_LEANING = {
    #        early-years primary secondary post-16
    "ASD":  (3.0, 34.0, 44.0, 19.0),
    "SEMH": (0.0, 27.0, 56.0, 17.0),
    "SLCN": (12.0, 52.0, 28.0, 8.0),
    "MLD":  (2.0, 36.0, 44.0, 18.0),
    "SLD":  (5.0, 30.0, 33.0, 32.0),
    "PMLD": (8.0, 32.0, 30.0, 30.0),
    "SpLD": (0.0, 20.0, 55.0, 25.0),
    "HI":   (8.0, 36.0, 36.0, 20.0),
    "VI":   (8.0, 36.0, 36.0, 20.0),
    "MSI":  (10.0, 35.0, 35.0, 20.0),
    "PD":   (8.0, 34.0, 36.0, 22.0),
    "OTH":  (6.0, 34.0, 38.0, 22.0),
}

# Share of each need/phase whose plan names a special school (provision =
# "special-school"); the rest can take any specialist place, a resourced
# provision included. All SLD, PMLD and MSI; a share of ASD, SEMH, MLD and PD,
# larger at secondary. Post-16 ASD/SEMH are left open so that specialist
# post-16 colleges can take them. An assumption, not a sourced figure.
SPECIAL_SCHOOL_SHARE = {
    "SLD":  (1.0, 1.0, 1.0, 1.0),
    "PMLD": (1.0, 1.0, 1.0, 1.0),
    "MSI":  (1.0, 1.0, 1.0, 1.0),
    "ASD":  (0.30, 0.35, 0.45, 0.0),
    "SEMH": (0.20, 0.30, 0.50, 0.0),
    "MLD":  (0.20, 0.25, 0.30, 0.0),
    "PD":   (0.40, 0.40, 0.40, 0.40),
}

# Random spread of each locality/need/phase forecast around its expected
# value (multiplied by a uniform draw in this range).
DEMAND_NOISE = (0.8, 1.2)

# ---------------------------------------------------------------------------
# 2. Home localities
# ---------------------------------------------------------------------------
# (id, name, latitude, longitude, catchment population, relative rate).
# The ten towns use figures.md's coordinates; the smaller places are real
# villages/towns at approximate centre coordinates (±1 km). Catchment
# populations are invented splits (town plus nearby rural parishes) that add to
# the borough's 386,700 (figures.md, "Cheshire East"); about 40% of residents
# live in rural areas, folded here into the nearest locality. The relative
# rate is an assumption: plans needing specialist places are more common in
# Crewe's deprived wards and less common in the affluent north.
LOCALITIES = [
    ("crewe", "Crewe", 53.0988, -2.4405, 86000, 1.20),
    ("macclesfield", "Macclesfield", 53.2586, -2.1257, 61000, 1.05),
    ("congleton", "Congleton", 53.1619, -2.2147, 33000, 1.00),
    ("wilmslow", "Wilmslow", 53.3269, -2.2263, 28000, 0.80),
    ("sandbach", "Sandbach", 53.1502, -2.3935, 24000, 0.95),
    ("nantwich", "Nantwich", 53.0632, -2.5193, 22000, 0.95),
    ("knutsford", "Knutsford and Mobberley", 53.3020, -2.3721, 17500, 0.90),
    ("middlewich", "Middlewich", 53.1923, -2.4424, 16500, 1.05),
    ("poynton", "Poynton", 53.3504, -2.1344, 15500, 0.85),
    ("alsager", "Alsager", 53.0928, -2.2986, 14500, 0.95),
    ("holmes-chapel", "Holmes Chapel and Goostrey", 53.1988, -2.3557, 11000, 0.90),
    ("bollington", "Bollington and Rainow", 53.2963, -2.0962, 10500, 0.90),
    ("shavington", "Shavington and Wybunbury", 53.0535, -2.4545, 9500, 1.00),
    ("alderley-edge", "Alderley Edge and Chelford", 53.3034, -2.2368, 9000, 0.75),
    ("haslington", "Haslington and Winterley", 53.0985, -2.3935, 8500, 1.00),
    ("audlem", "Audlem and rural south-west", 52.9893, -2.5079, 8000, 0.90),
    ("handforth", "Handforth", 53.3464, -2.2136, 7500, 1.00),
    ("disley", "Disley", 53.3578, -2.0416, 4700, 0.85),
]
BOROUGH_POPULATION = 386700  # figures.md, "Cheshire East"

# ---------------------------------------------------------------------------
# 3. Settings
# ---------------------------------------------------------------------------
# Each setting sits at an invented site near a road-network place (the
# "near" column): its coordinates are that place's plus a random offset of up
# to SITE_JITTER_KM north/south and east/west.
SITE_JITTER_KM = 1.5

# Costs a place a year, whole pounds (figures.md, "Cost per place"):
#  - state special schools: £10,000 place funding + top-up £11,400-£17,600,
#    so £21,400-£27,600 a place;
#  - resourced provision: £6,000 place funding + an assumed top-up of
#    £8,000-£13,000, so £14,000-£19,000;
#  - another authority's special school: no national figure (figures.md,
#    "Not found"); assumed £26,000-£34,000, the host's band plus an
#    inter-authority recoupment margin;
#  - independent / non-maintained special: fees £45,000-£95,000 with a mean
#    near the £64,000 per pupil of 2024/25 (Cheshire East: 624 placements,
#    ~£64k each);
#  - specialist post-16: ~£36,000 average top-up.
#
# (id, name, kind, near, in_borough, places, phases, needs, cost_per_place)
#
# Places are those of the base year 2025/26; derive_horizon.py writes the
# changes planned and committed for later years (setting_places.csv).
SETTINGS = [
    # In-borough state special schools: 12 schools, 619 places in 2025/26. With the other
    # authorities' schools below (230 places) they hold the 849 children in state special
    # schools of January 2025 (caseload.csv), full as most are (figures.md: about two-thirds
    # of state special schools are at or over capacity), and their designations
    # follow the published need mix of those children (sen_needs_all_plans.csv: ASD 214,
    # SEMH 203, SLCN 151, SLD 94, MLD 81, OTH 30, PD 28, PMLD 14, MSI 12, HI 9, VI 8, SpLD 5)
    # and the borough's pattern (figures.md, "special schools": four inherited schools for
    # severe/complex learning difficulties and SEMH; Axis Academy, 48 SEMH places; Lavender
    # Field 50 -> 75; Westfields, 140 places planned; a Springfield satellite in Wilmslow).
    # Heronsgate Academy stands for the planned 140-place school (all-through here): 0
    # places now, opening in 2026/27. Hawthorn Academy is the 50 -> 75 school (60 now),
    # Whitebeam the SEMH secondary school, the Larchwood satellite the Wilmslow satellite.
    ("larkfield", "Larkfield School", "maintained-special", "crewe", "yes", 96,
     "all", "SLD;PMLD;MLD;MSI;PD;VI;HI;OTH", 24600),
    ("rowan-bank", "Rowan Bank School", "maintained-special", "macclesfield", "yes", 88,
     "all", "SLD;PMLD;MLD;ASD;MSI;PD;VI;HI;OTH", 25800),
    ("hawthorn-academy", "Hawthorn Academy", "academy-special", "crewe", "yes", 60,
     "primary;secondary", "SEMH", 24800),
    ("foxglove-academy", "Foxglove Academy", "academy-special", "alsager", "yes", 24,
     "primary", "SEMH", 24400),
    ("bramble-lea", "Bramble Lea Academy", "academy-special", "congleton", "yes", 80,
     "primary", "ASD;SLCN", 23600),
    ("whitebeam-school", "Whitebeam School", "academy-special", "middlewich", "yes", 60,
     "secondary", "SEMH", 24200),
    ("hollins-brook", "Hollins Brook School", "maintained-special", "macclesfield", "yes", 50,
     "primary;secondary", "SEMH;ASD", 25000),
    ("larchwood-satellite", "Larchwood School (Wilmslow satellite)", "maintained-special",
     "wilmslow", "yes", 16, "primary", "MLD;SLD", 22800),
    ("heronsgate-academy", "Heronsgate Academy", "academy-special", "sandbach", "yes", 0,
     "primary;secondary;post-16", "ASD;MLD;SLCN;SEMH", 23200),
    ("willowmere", "Willowmere School", "maintained-special", "nantwich", "yes", 48,
     "early-years;primary", "MLD;SLD;SpLD;PD;OTH", 22400),
    ("thornfield-academy", "Thornfield Academy", "academy-special", "knutsford", "yes", 38,
     "primary;secondary", "ASD;MLD;SEMH", 24000),
    ("saltersford-academy", "Saltersford Academy", "academy-special", "congleton", "yes", 59,
     "secondary;post-16", "ASD;SLCN;MLD", 23800),

    # Resourced provisions and SEN units in mainstream schools: 11, 14-18 places each but
    # a hearing unit of 8 (figures.md, "Not found": local examples 7-20), 159 places for the
    # 159 children of January 2025 (caseload.csv: resourced provision 24 + 116, SEN units
    # 19), whose needs are mostly SLCN 57, ASD 36, SEMH 30, MLD 23 and HI 8.
    ("rp-brookhouse-primary", "Brookhouse Primary School resource base", "resourced-provision",
     "crewe", "yes", 16, "early-years;primary", "ASD", 15500),
    ("rp-millhey-high", "Mill Hey High School resource base", "resourced-provision",
     "crewe", "yes", 16, "secondary", "ASD;SLCN", 16500),
    ("rp-larkspur-nurture", "Larkspur Primary School nurture base", "resourced-provision",
     "crewe", "yes", 16, "early-years;primary", "SEMH", 18500),
    ("rp-wrenfield-language", "Wrenfield Primary language unit",
     "resourced-provision", "crewe", "yes", 16, "early-years;primary", "SLCN;ASD", 14500),
    ("rp-cuckoostone-primary", "Cuckoostone Primary School resource base",
     "resourced-provision", "macclesfield", "yes", 14, "early-years;primary", "ASD;SLCN", 15500),
    ("rp-brookvale-high", "Brookvale High School inclusion base", "resourced-provision",
     "sandbach", "yes", 14, "secondary", "SEMH", 18500),
    ("rp-kinderton-primary", "Kinderton Primary resource base", "resourced-provision",
     "middlewich", "yes", 14, "early-years;primary", "ASD;SLCN;MLD", 15000),
    ("rp-coppice-lane-primary", "Coppice Lane Primary resource base", "resourced-provision",
     "poynton", "yes", 14, "early-years;primary", "ASD;SLCN", 15000),
    ("rp-beechwood-high", "Beechwood High School learning base", "resourced-provision",
     "macclesfield", "yes", 17, "secondary", "MLD;SLCN;SEMH", 16000),
    ("rp-elmtree-primary", "Elm Tree Primary School learning base", "resourced-provision",
     "nantwich", "yes", 14, "early-years;primary", "MLD;SLCN;SEMH", 15000),
    ("rp-hearing-wilmslow", "Dean Row Academy hearing unit", "resourced-provision",
     "wilmslow", "yes", 8, "primary;secondary", "HI", 17500),

    # Other authorities' special schools: places this council can commission (not the
    # schools' whole size), 30-45 each, 230 in all. figures.md ("North West"): 17 councils
    # made 5,220 out-of-borough placements in 2023/24, ~300 each, independent ones included.
    ("ola-potteries-ridge", "Potteries Ridge School (Stoke-on-Trent)", "other-authority-special",
     "stoke-on-trent", "no", 45, "all", "SLD;PMLD;MLD;ASD;PD", 27500),
    ("ola-sankey-brook", "Sankey Brook School (Warrington)", "other-authority-special",
     "warrington", "no", 35, "primary;secondary", "SEMH", 29000),
    ("ola-heaton-brook", "Heaton Brook School (Stockport)", "other-authority-special",
     "stockport", "no", 45, "primary;secondary", "ASD;SLCN", 28500),
    ("ola-dee-meadows", "Dee Meadows School (Cheshire West and Chester)",
     "other-authority-special", "chester", "no", 40, "primary;secondary;post-16",
     "MLD;ASD;SLCN;SEMH", 26500),
    ("ola-weaver-bank", "Weaver Bank School (Cheshire West and Chester)",
     "other-authority-special", "northwich", "no", 35, "secondary;post-16", "SEMH;ASD", 27000),
    ("ola-irwell-park", "Irwell Park School (Manchester)", "other-authority-special",
     "manchester", "no", 30, "primary;secondary;post-16", "SLD;PMLD;ASD;MSI", 33500),

    # Independent and non-maintained special schools the council uses now: 3 in the borough
    # and 11 outside it, 462 places for the 448 children there in January 2025
    # (caseload.csv: independent 381, non-maintained 67), whose needs are SEMH 155, ASD 142,
    # SLCN 74, MLD 40, SLD 10, OTH 10, MSI 6, PD 6, HI 3, PMLD 2 (sen_needs_all_plans.csv)
    # and 59% secondary-age (ages 11-15: 266 of 448; 79% in 2019, seed 001). Fees around
    # figures.md's £64,000 a pupil (2024/25). One expensive residential school (Shrewsbury)
    # and one sensory school (Lumen) widen the fee range. Children beyond these places are
    # bought from the market (MARKET below).
    ("ind-meadowsweet-house", "Meadowsweet House School", "independent-special",
     "shavington", "yes", 38, "secondary;post-16", "SEMH;ASD", 60000),
    ("ind-kerridge-edge", "Kerridge Edge School", "independent-special",
     "bollington", "yes", 40, "primary;secondary", "ASD;SLCN;MLD;SpLD;OTH", 56000),
    ("ind-pickmere-farm", "Pickmere Farm School", "independent-special",
     "knutsford", "yes", 32, "primary;secondary", "SEMH", 66000),
    ("ind-trentside", "Trentside School", "independent-special",
     "stoke-on-trent", "no", 44, "secondary;post-16", "SEMH;ASD", 58000),
    ("ind-sowe-valley", "Sowe Valley School", "independent-special",
     "stafford", "no", 30, "secondary;post-16", "ASD", 61000),
    ("ind-severn-fields", "Severn Fields School", "independent-special",
     "shrewsbury", "no", 20, "secondary;post-16", "SEMH;ASD", 88000),
    ("ind-prees-heath", "Prees Heath School", "independent-special",
     "whitchurch", "no", 34, "secondary", "ASD;SLCN;MLD;SpLD", 54000),
    ("ind-high-peak-lodge", "High Peak Lodge School", "independent-special",
     "buxton", "no", 30, "secondary", "SEMH", 68000),
    ("ind-roaches-view", "Roaches View School", "independent-special",
     "leek", "no", 40, "primary;secondary", "ASD;SEMH", 59000),
    ("ind-birchwood-grange", "Birchwood Grange School", "independent-special",
     "warrington", "no", 32, "secondary;post-16", "ASD", 57000),
    ("ind-douglas-valley", "Douglas Valley School", "independent-special",
     "wigan", "no", 36, "secondary;post-16", "SEMH;ASD", 64000),
    ("ind-moorside-hall", "Moorside Hall School", "independent-special",
     "bolton", "no", 22, "secondary;post-16", "SEMH", 72000),
    ("nms-bowdon-vale", "Bowdon Vale School", "non-maintained-special",
     "altrincham", "no", 40, "primary;secondary", "ASD;SLCN;SpLD", 52000),
    ("nms-lumen-sensory", "Lumen Sensory School", "non-maintained-special",
     "hazel-grove", "no", 24, "all", "HI;VI;MSI;PMLD;PD;SLD;OTH", 92000),

    # Specialist post-16 institutions: two in the borough, two outside, 97 places for the
    # 97 young people there in January 2025 (caseload.csv), 41 of them aged 19 or over;
    # their needs are ASD 35, SEMH 24, SLCN 16, SLD 9, MLD 5, PD 4, PMLD 2 and a few others.
    ("p16-crewe-pathways", "Crewe Pathways College", "specialist-post-16",
     "crewe", "yes", 31, "post-16", "all", 35000),
    ("p16-silk-mill", "Silk Mill Skills College", "specialist-post-16",
     "macclesfield", "yes", 26, "post-16", "ASD;MLD;SLD;PD;SLCN;SpLD;HI;VI;OTH", 36000),
    ("p16-etruria-futures", "Etruria Futures College", "specialist-post-16",
     "stoke-on-trent", "no", 20, "post-16", "ASD;SEMH;MLD;SpLD;SLCN", 39000),
    ("p16-vale-royal", "Vale Royal Vocational College", "specialist-post-16",
     "northwich", "no", 20, "post-16", "SEMH;ASD;MLD", 41000),
]

# Per-need caps and fees (setting_needs.csv): either may be blank.
# (setting, need, places or None, cost_per_place or None)
SETTING_NEEDS = [
    # Generic schools keep a balance of needs: caps on the harder-to-mix needs.
    ("larkfield", "PMLD", 10, 27600),      # top band of £21,400-£27,600
    ("larkfield", "MSI", 6, 27600),
    ("larkfield", "SLD", None, 26400),
    ("rowan-bank", "PMLD", 8, 27600),
    ("rowan-bank", "MSI", 6, None),
    ("hollins-brook", "ASD", 20, None),    # an SEMH school with an ASD class
    ("heronsgate-academy", "SEMH", 30, None),  # of its 140 places once open
    ("thornfield-academy", "SEMH", 12, 25600),
    ("willowmere", "SLD", 20, 24800),
    ("ola-potteries-ridge", "PMLD", 4, 33800),
    ("ola-dee-meadows", "SEMH", 10, None),
    # Independent fees: SEMH places cost more than ASD ones.
    ("ind-meadowsweet-house", "SEMH", None, 66000),
    ("ind-meadowsweet-house", "ASD", None, 56000),
    ("ind-roaches-view", "SEMH", 16, 65000),
    ("ind-douglas-valley", "SEMH", None, 70000),
    ("ind-douglas-valley", "ASD", None, 60000),
    ("ind-severn-fields", "ASD", 10, 82000),
    ("nms-lumen-sensory", "PMLD", 4, 95000),
    ("p16-crewe-pathways", "SEMH", 10, 38000),
    ("p16-crewe-pathways", "PMLD", 3, 42000),
]

# ---------------------------------------------------------------------------
# 3b. The independent market (market.csv)
# ---------------------------------------------------------------------------
# Places bought by need and phase beyond the named schools, in steps of
# rising price: the optimiser fills the cheapest first (models/README.md,
# "market"). Fees: figures.md, "independent fees range": ~£30k day to £150k+
# for 52-week residential (highest seen £220k); independent per pupil £64k on
# average (2024/25). The North West purchasing system buys in lots of 0-16 day,
# 38-week residential, 52-week residential, 16+ day and 16+ residential
# (figures.md, "regional purchasing"); its price bands are not public, so the
# steps are assumptions around figures.md's average fee of £64,000 a pupil (2024/25):
#  - the first 100 day places at £58,000, a typical 40-minute journey each way,
#    30 km: within the 45-minute limit of early years and primary, so every
#    phase can use them;
#  - the next 150 at £62,000 (dearer schools, further away: 45 minutes, 35 km);
#  - beyond those, day places at £66,000 in any number, for every phase, within
#    45 minutes: the market's day places do not run out, they get dearer;
#  - residential places (52-week, £160,000, figures.md: "£150k+ for 52-week
#    residential") for secondary and post-16, beyond every journey limit
#    (typically 90 minutes and 110 km away), whose transport is journeys home,
#    £3,000 a year (an assumption). Since day places never run out, the plan
#    buys a residential place only where no day place is suitable: never, in
#    this sample. The six residential placements of January 2025
#    (residential_settings.csv) are children already placed, marked in
#    current_placements.csv (derive_horizon.py).
# Every need and phase has a step without a limit, so no child is left unmet.
# (id, name, needs, phases, places or None, cost_per_place, journey_minutes,
#  journey_km, residence, transport_per_child or None)
MARKET = [
    ("market-day-1", "Independent day places (first 100)", "all", "all", 100, 58000,
     40, 30, "day", None),
    ("market-day-2", "Independent day places (next 150)", "all", "all", 150, 62000,
     45, 35, "day", None),
    ("market-day-3", "Independent day places (any number)", "all", "all", None, 66000,
     45, 35, "day", None),
    ("market-residential", "Independent residential places, secondary and post-16 (52-week)",
     "all", "secondary;post-16", None, 160000, 90, 110, "52-week", 3000),
]

# ---------------------------------------------------------------------------
# 4. Road network
# ---------------------------------------------------------------------------
# Nodes: home-locality towns (same coordinates as above), neighbouring towns
# (figures.md coordinates for Stoke-on-Trent, Warrington, Stockport, Chester,
# Northwich, Manchester), further towns where schools sit, and the main
# junctions, at approximate real coordinates (±1 km).
EXTRA_NODES = [
    ("stoke-on-trent", "Stoke-on-Trent", 53.0027, -2.1794),
    ("newcastle-under-lyme", "Newcastle-under-Lyme", 53.0109, -2.2278),
    ("kidsgrove", "Kidsgrove", 53.0868, -2.2375),
    ("warrington", "Warrington", 53.3900, -2.5970),
    ("stockport", "Stockport", 53.4106, -2.1575),
    ("chester", "Chester", 53.1905, -2.8909),
    ("northwich", "Northwich", 53.2587, -2.5182),
    ("winsford", "Winsford", 53.1910, -2.5240),
    ("manchester", "Manchester", 53.4794, -2.2453),
    ("altrincham", "Altrincham", 53.3838, -2.3527),
    ("hazel-grove", "Hazel Grove", 53.3770, -2.1110),
    ("whaley-bridge", "Whaley Bridge", 53.3300, -1.9850),
    ("buxton", "Buxton", 53.2587, -1.9110),
    ("leek", "Leek", 53.1050, -2.0230),
    ("stone", "Stone", 52.9030, -2.1470),
    ("stafford", "Stafford", 52.8066, -2.1171),
    ("market-drayton", "Market Drayton", 52.9040, -2.4840),
    ("whitchurch", "Whitchurch (Shropshire)", 52.9686, -2.6827),
    ("shrewsbury", "Shrewsbury", 52.7118, -2.7494),
    ("tarporley", "Tarporley", 53.1590, -2.6680),
    ("woore", "Woore", 52.9790, -2.4010),
    ("wigan", "Wigan", 53.5448, -2.6318),
    ("bolton", "Bolton", 53.5780, -2.4290),
    ("chelford", "Chelford (A537)", 53.2710, -2.2800),
    ("m6-j14", "M6 junction 14 (Stafford)", 52.8260, -2.1600),
    ("m6-j15", "M6 junction 15 (Hanchurch)", 52.9845, -2.2230),
    ("m6-j16", "M6 junction 16 (A500 Barthomley)", 53.0695, -2.3205),
    ("m6-j17", "M6 junction 17 (Sandbach)", 53.1420, -2.3640),
    ("m6-j18", "M6 junction 18 (A54 Holmes Chapel)", 53.2030, -2.3860),
    ("m6-j19", "M6 junction 19 (A556 Tabley)", 53.3080, -2.4100),
    ("m6-j20", "M6 junction 20 / M56 junction 9 (Lymm)", 53.3690, -2.4780),
    ("m6-j21a", "M6 junction 21a / M62 (Croft)", 53.4320, -2.5530),
    ("m56-j7", "M56 junction 7 (A556 Bowdon)", 53.3720, -2.3690),
    ("m56-j6", "M56 junction 6 (Manchester Airport, A555)", 53.3660, -2.2790),
    ("a500-talke", "A500 / A34 Talke", 53.0750, -2.2700),
    ("a500-weston", "A500 / A531 Weston", 53.0660, -2.3990),
    ("a530-minshull-vernon", "A530 Minshull Vernon", 53.1390, -2.4710),
    ("a34-monks-heath", "A34 / A537 Monks Heath", 53.2720, -2.2300),
    ("a523-bosley", "A523 / A54 Bosley", 53.1850, -2.1250),
]

# Road types: (road km per straight-line km, typical off-peak speed km/h).
# The brief's guide: A roads ~50-60 km/h including towns, motorways ~100.
ROAD_TYPES = {
    "motorway": (1.08, 100.0),
    "dual": (1.15, 75.0),     # dual-carriageway A roads: A500, A556, A555, A34 bypass
    "city": (1.20, 45.0),     # dual-carriageway radial roads into Manchester and Wigan
    "a-road": (1.22, 55.0),   # single-carriageway A roads through villages and towns
    "hill": (1.35, 45.0),     # Pennine roads: A537, A54 east of Bosley, A53
    "urban": (1.25, 30.0),    # built-up A roads in the conurbation
}

# Roads whose route bends well away from the straight line: (km, minutes)
# set by hand from typical off-peak journeys instead of the road type.
ROAD_OVERRIDES = {
    ("m6-j21a", "bolton"): (31.0, 24),    # M62 east to the M60, then the M61 north-west
    ("warrington", "chester"): (32.0, 33),  # through Warrington to M56 J10, then M56 and A56
}

# Two-way roads: (from, to, type, road names).
ROAD_EDGES = [
    # M6 spine and M56
    ("m6-j14", "m6-j15", "motorway", "M6"),
    ("m6-j15", "m6-j16", "motorway", "M6"),
    ("m6-j16", "m6-j17", "motorway", "M6"),
    ("m6-j17", "m6-j18", "motorway", "M6"),
    ("m6-j18", "m6-j19", "motorway", "M6"),
    ("m6-j19", "m6-j20", "motorway", "M6"),
    ("m6-j20", "m6-j21a", "motorway", "M6"),
    ("m6-j20", "m56-j7", "motorway", "M56"),
    ("m56-j7", "m56-j6", "motorway", "M56"),
    ("m6-j21a", "wigan", "dual", "M6 to J25, A49"),
    ("m6-j21a", "bolton", "motorway", "M62, M61"),
    ("warrington", "chester", "motorway", "M56, A56"),
    # Staffordshire
    ("m6-j14", "stafford", "a-road", "A34"),
    ("stafford", "stone", "a-road", "A34"),
    ("stone", "m6-j15", "a-road", "A34"),
    ("stone", "stoke-on-trent", "dual", "A500, A34"),
    ("m6-j15", "stoke-on-trent", "dual", "A500"),
    ("m6-j15", "newcastle-under-lyme", "urban", "A519"),
    ("newcastle-under-lyme", "stoke-on-trent", "urban", "A53"),
    ("stoke-on-trent", "a500-talke", "dual", "A500"),
    ("newcastle-under-lyme", "a500-talke", "a-road", "A34"),
    ("a500-talke", "m6-j16", "dual", "A500"),
    ("a500-talke", "kidsgrove", "a-road", "A34, A50"),
    ("stoke-on-trent", "leek", "a-road", "A53"),
    ("leek", "buxton", "hill", "A53"),
    ("newcastle-under-lyme", "woore", "a-road", "A525"),
    ("newcastle-under-lyme", "market-drayton", "a-road", "A53"),
    ("woore", "stone", "a-road", "A51"),
    # South Cheshire
    ("kidsgrove", "alsager", "a-road", "B5077"),
    ("kidsgrove", "congleton", "a-road", "A34"),
    ("alsager", "m6-j16", "a-road", "B5078"),
    ("alsager", "haslington", "a-road", "A5011, A534"),
    ("alsager", "sandbach", "a-road", "A533"),
    ("m6-j16", "a500-weston", "dual", "A500"),
    ("a500-weston", "crewe", "urban", "A5020"),
    ("a500-weston", "shavington", "dual", "A500"),
    ("shavington", "crewe", "urban", "A5020"),
    ("shavington", "nantwich", "dual", "A500, A51"),
    ("crewe", "nantwich", "a-road", "A534"),
    ("crewe", "haslington", "a-road", "A534"),
    ("haslington", "sandbach", "a-road", "A534"),
    ("crewe", "a530-minshull-vernon", "a-road", "A530"),
    ("nantwich", "a530-minshull-vernon", "a-road", "A530"),
    ("a530-minshull-vernon", "middlewich", "a-road", "A530"),
    ("nantwich", "woore", "a-road", "A51"),
    ("nantwich", "audlem", "a-road", "A529"),
    ("audlem", "market-drayton", "a-road", "A529"),
    ("audlem", "whitchurch", "a-road", "A525"),
    ("nantwich", "whitchurch", "a-road", "A530"),
    ("nantwich", "tarporley", "a-road", "A51"),
    ("whitchurch", "shrewsbury", "a-road", "A49"),
    ("market-drayton", "shrewsbury", "a-road", "A53"),
    ("whitchurch", "chester", "a-road", "A41"),
    ("tarporley", "chester", "a-road", "A51"),
    ("tarporley", "winsford", "a-road", "A49, A54"),
    # Mid Cheshire
    ("sandbach", "m6-j17", "a-road", "A534"),
    ("sandbach", "middlewich", "a-road", "A533"),
    ("sandbach", "holmes-chapel", "a-road", "A50, A534"),
    ("sandbach", "congleton", "a-road", "A534"),
    ("m6-j18", "holmes-chapel", "a-road", "A54"),
    ("m6-j18", "middlewich", "a-road", "A54"),
    ("middlewich", "winsford", "a-road", "A54"),
    ("middlewich", "northwich", "a-road", "A533, A556"),
    ("winsford", "northwich", "a-road", "A5018"),
    ("northwich", "chester", "a-road", "A556, A54"),
    ("northwich", "m6-j19", "dual", "A556"),
    ("northwich", "warrington", "a-road", "A559, A49"),
    ("holmes-chapel", "congleton", "a-road", "A54"),
    ("holmes-chapel", "knutsford", "a-road", "A50"),
    # North and east
    ("knutsford", "m6-j19", "a-road", "A5033"),
    ("m6-j19", "m56-j7", "dual", "A556"),
    ("m56-j7", "altrincham", "urban", "A56"),
    ("altrincham", "manchester", "urban", "A56"),
    ("m6-j20", "warrington", "urban", "A50"),
    ("m6-j21a", "warrington", "urban", "A57"),
    ("knutsford", "chelford", "a-road", "A537"),
    ("knutsford", "wilmslow", "a-road", "B5085"),
    ("chelford", "a34-monks-heath", "a-road", "A537"),
    ("a34-monks-heath", "macclesfield", "a-road", "A537"),
    ("a34-monks-heath", "alderley-edge", "dual", "A34"),
    ("a34-monks-heath", "congleton", "a-road", "A34"),
    ("alderley-edge", "wilmslow", "dual", "A34"),
    ("wilmslow", "handforth", "dual", "A34"),
    ("wilmslow", "m56-j6", "a-road", "B5166"),
    ("handforth", "m56-j6", "dual", "A555"),
    ("handforth", "poynton", "dual", "A555"),
    ("handforth", "stockport", "urban", "A34, M60"),
    ("m56-j6", "manchester", "city", "M56, A5103"),
    ("poynton", "hazel-grove", "urban", "A523"),
    ("poynton", "macclesfield", "a-road", "A523"),
    ("bollington", "macclesfield", "a-road", "B5090"),
    ("bollington", "poynton", "a-road", "B5090, A523"),
    ("hazel-grove", "stockport", "urban", "A6"),
    ("hazel-grove", "disley", "a-road", "A6"),
    ("disley", "whaley-bridge", "a-road", "A6"),
    ("whaley-bridge", "buxton", "a-road", "A5004"),
    ("stockport", "manchester", "urban", "A6"),
    ("bolton", "manchester", "urban", "A666"),
    ("wigan", "bolton", "a-road", "A577"),
    ("macclesfield", "congleton", "a-road", "A536"),
    ("macclesfield", "a523-bosley", "a-road", "A523"),
    ("a523-bosley", "congleton", "a-road", "A54"),
    ("a523-bosley", "leek", "a-road", "A523"),
    ("a523-bosley", "buxton", "hill", "A54"),
    ("macclesfield", "buxton", "hill", "A537"),
]

# ---------------------------------------------------------------------------
# Derivation
# ---------------------------------------------------------------------------


def haversine_km(lat1, lon1, lat2, lon2):
    """Great-circle distance in km."""
    r = 6371.0
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * r * math.asin(math.sqrt(a))


def fit_need_phase():
    """Need x phase shares (summing to 1) by iterative proportional fitting."""
    need_total = sum(NEED_WEIGHT.values())
    rows = {n: NEED_WEIGHT[n] / need_total for n in NEEDS}
    cols = {p: PHASE_SHARE[p] / sum(PHASE_SHARE.values()) for p in PHASES}
    m = {(n, p): PHASE_LEANING[n][i] for n in NEEDS for i, p in enumerate(PHASES)}
    for _ in range(200):
        for n in NEEDS:
            s = sum(m[n, p] for p in PHASES)
            for p in PHASES:
                m[n, p] *= rows[n] / s
        for p in PHASES:
            s = sum(m[n, p] for n in NEEDS)
            for n in NEEDS:
                m[n, p] *= cols[p] / s if s > 0 else 0.0
    return m


def derive_demand(rng):
    shares = fit_need_phase()
    weight = {lid: pop * rate for lid, _, _, _, pop, rate in LOCALITIES}
    total_weight = sum(weight.values())
    # Each cell drawn around its expected value, then every need scaled back to its published
    # total, so the noise moves children between localities and phases, not between needs.
    drawn = {}
    for lid, *_ in LOCALITIES:
        for n in NEEDS:
            for i, p in enumerate(PHASES):
                expected = TOTAL_DEMAND * weight[lid] / total_weight * shares[n, p]
                drawn[lid, n, p] = expected * rng.uniform(*DEMAND_NOISE)
    # Every need back to its published total and every phase to its published share
    # (iterative proportional fitting over the drawn cells).
    need_total = {n: NEED_WEIGHT[n] for n in NEEDS}
    phase_total = {p: TOTAL_DEMAND * PHASE_SHARE[p] / sum(PHASE_SHARE.values()) for p in PHASES}
    for _ in range(100):
        for margin, key in ((need_total, 1), (phase_total, 2)):
            for m, target in margin.items():
                got = sum(v for k, v in drawn.items() if k[key] == m)
                for k in drawn:
                    if k[key] == m and got > 0:
                        drawn[k] *= target / got
    rows = []
    for lid, *_ in LOCALITIES:
        for n in NEEDS:
            for i, p in enumerate(PHASES):
                children = drawn[lid, n, p]
                special = round(children * SPECIAL_SCHOOL_SHARE.get(n, (0, 0, 0, 0))[i], 1)
                other = round(round(children, 1) - special, 1)
                if other > 0:
                    rows.append((lid, n, p, other, ""))
                if special > 0:
                    rows.append((lid, n, p, special, "special-school"))
    return rows


def derive_settings(rng, node_coords):
    rows = []
    for sid, name, kind, near, inb, places, phases, needs, cost in SETTINGS:
        lat0, lon0 = node_coords[near]
        dn = rng.uniform(-SITE_JITTER_KM, SITE_JITTER_KM)
        de = rng.uniform(-SITE_JITTER_KM, SITE_JITTER_KM)
        lat = lat0 + dn / 111.2
        lon = lon0 + de / (111.2 * math.cos(math.radians(lat0)))
        rows.append((sid, name, kind, lat, lon, inb, places, phases, needs, cost))
    return rows


def derive_edges(node_coords):
    rows = []
    assert all(pair in [(a, b) for a, b, *_ in ROAD_EDGES] for pair in ROAD_OVERRIDES)
    for a, b, kind, _road in ROAD_EDGES:
        if (a, b) in ROAD_OVERRIDES:
            km, minutes = ROAD_OVERRIDES[a, b]
        else:
            circuity, speed = ROAD_TYPES[kind]
            km = haversine_km(*node_coords[a], *node_coords[b]) * circuity
            # whole minutes, rounded up (junctions, lights), at least 2
            minutes = max(2, math.ceil(km / speed * 60))
        rows.append((a, b, minutes, km))
    return rows


def write_csv(name, header, rows):
    with open(OUT / name, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(header)
        w.writerows(rows)


def fmt_coord(x):
    return f"{x:.4f}"


def print_totals(demand, settings):
    print("Demand, children (2025/26)")
    print()
    print("| need | " + " | ".join(PHASES) + " | total | share |")
    print("| --- | " + " | ".join("---:" for _ in PHASES) + " | ---: | ---: |")
    by = defaultdict(float)
    for lid, n, p, c, prov in demand:
        by[n, p] += c
    grand = sum(by.values())
    for n in NEEDS:
        cells = [by[n, p] for p in PHASES]
        print(f"| {n} | " + " | ".join(f"{c:.0f}" for c in cells)
              + f" | {sum(cells):.0f} | {100 * sum(cells) / grand:.1f}% |")
    cols = [sum(by[n, p] for n in NEEDS) for p in PHASES]
    print("| total | " + " | ".join(f"{c:.0f}" for c in cols) + f" | {grand:.0f} | 100% |")
    print("| share | " + " | ".join(f"{100 * c / grand:.1f}%" for c in cols) + " | | |")
    special = sum(c for *_, c, prov in demand if prov == "special-school")
    print()
    print(f"Of which needing a special school: {special:.0f} ({100 * special / grand:.1f}%).")
    print()
    print("Demand by locality")
    print()
    print("| locality | children |")
    print("| --- | ---: |")
    by_loc = defaultdict(float)
    for lid, n, p, c, prov in demand:
        by_loc[lid] += c
    for lid, *_ in LOCALITIES:
        print(f"| {lid} | {by_loc[lid]:.0f} |")
    print()
    print("Places by kind")
    print()
    print("| kind | settings | in borough | out of borough | places | mean cost a place |")
    print("| --- | ---: | ---: | ---: | ---: | ---: |")
    kinds = defaultdict(lambda: [0, 0, 0, 0])
    for sid, name, kind, lat, lon, inb, places, phases, needs, cost in settings:
        k = kinds[kind]
        k[0] += 1
        k[1 if inb == "yes" else 2] += places
        k[3] += places * cost
    order = ["maintained-special", "academy-special", "resourced-provision",
             "other-authority-special", "independent-special", "non-maintained-special",
             "specialist-post-16"]
    tot = [0, 0, 0]
    for kind in order:
        n, inb, oob, money = kinds[kind]
        tot = [tot[0] + n, tot[1] + inb, tot[2] + oob]
        print(f"| {kind} | {n} | {inb} | {oob} | {inb + oob} | £{money / (inb + oob):,.0f} |")
    print(f"| total | {tot[0]} | {tot[1]} | {tot[2]} | {tot[1] + tot[2]} | |")
    print()
    print(f"Places as a share of demand: {100 * (tot[1] + tot[2]) / grand:.1f}%.")
    ind = [(places, cost) for _, _, kind, _, _, _, places, _, _, cost in settings
           if kind in ("independent-special", "non-maintained-special")]
    ind_places = sum(p for p, _ in ind)
    print(f"Independent and non-maintained special: {ind_places} places, mean fee "
          f"£{sum(p * c for p, c in ind) / ind_places:,.0f} a place "
          f"(£{min(c for _, c in ind):,}-£{max(c for _, c in ind):,}).")


def main():
    rng = random.Random(SEED)

    total_pop = sum(pop for *_, pop, _rate in LOCALITIES)
    assert total_pop == BOROUGH_POPULATION, total_pop

    node_coords = {lid: (lat, lon) for lid, _, lat, lon, _, _ in LOCALITIES}
    for nid, _, lat, lon in EXTRA_NODES:
        assert nid not in node_coords, nid
        node_coords[nid] = (lat, lon)
    node_rows = [(lid, name, fmt_coord(lat), fmt_coord(lon))
                 for lid, name, lat, lon, _, _ in LOCALITIES]
    node_rows += [(nid, name, fmt_coord(lat), fmt_coord(lon)) for nid, name, lat, lon in EXTRA_NODES]

    demand = derive_demand(rng)
    settings = derive_settings(rng, node_coords)
    edges = derive_edges(node_coords)

    write_csv("localities.csv", ["id", "name", "latitude", "longitude", "in_borough"],
              [(lid, name, fmt_coord(lat), fmt_coord(lon), "yes")
               for lid, name, lat, lon, _, _ in LOCALITIES])
    write_csv("settings.csv",
              ["id", "name", "kind", "latitude", "longitude", "in_borough", "places",
               "phases", "needs", "cost_per_place"],
              [(sid, name, kind, fmt_coord(lat), fmt_coord(lon), inb, places, phases, needs, cost)
               for sid, name, kind, lat, lon, inb, places, phases, needs, cost in settings])
    write_csv("setting_needs.csv", ["setting", "need", "places", "cost_per_place"],
              [(s, n, "" if p is None else p, "" if c is None else c)
               for s, n, p, c in SETTING_NEEDS])
    write_csv("demand.csv", ["locality", "need", "phase", "children", "provision"],
              [(lid, n, p, f"{c:.1f}", prov) for lid, n, p, c, prov in demand])
    write_csv("market.csv",
              ["id", "name", "needs", "phases", "places", "cost_per_place", "journey_minutes",
               "journey_km", "residence", "transport_per_child"],
              [(i, name, n, p, "" if pl is None else pl, c, m, km, r, "" if t is None else t)
               for i, name, n, p, pl, c, m, km, r, t in MARKET])
    write_csv("road_nodes.csv", ["id", "name", "latitude", "longitude"], node_rows)
    write_csv("road_edges.csv", ["from", "to", "minutes", "km"],
              [(a, b, m, f"{km:.1f}") for a, b, m, km in edges])

    print_totals(demand, settings)
    print(f"Road network: {len(node_rows)} nodes, {len(edges)} two-way roads.")
    print(f"Demand rows: {len(demand)}.")


if __name__ == "__main__":
    main()
