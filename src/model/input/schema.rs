//! The tables a model can use, each described once: the key that names it under `[tables]`,
//! the column that identifies a row (for a scenario's `[[remove_rows]]`), its columns (which
//! are required, what each holds and means), the sheet of the workbook template that holds
//! it, and what it is for.
//!
//! The loader reads each table's header row against these columns, the model file's keys and
//! scenarios take the tables' names from here, `sufficiency init` writes its workbook and
//! Help sheet from here, and a test holds models/README.md to the same columns. Adding a
//! table or a column is one entry here, and the code that reads it.

/// What a column holds: how the workbook template writes the example's cells, and the
/// drop-down list it gives the column.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Holds {
    /// Text (ids, names, years).
    Text,
    /// A number.
    Number,
    /// One need code.
    Need,
    /// `all`, or need codes separated by `;`.
    Needs,
    /// One phase.
    Phase,
    /// `all`, or phases separated by `;`.
    Phases,
    /// A kind of setting.
    Kind,
    /// One of these words (or blank).
    Choice(&'static [&'static str]),
}

/// Whether a table must have a column in its header row.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Presence {
    /// Every table of this kind has it.
    Required,
    /// It may be left out (its cells are then blank).
    Optional,
    /// Required in a model with a `[horizon]`; a single-year model's table has none.
    MultiYear,
}

/// One column of a table.
#[derive(Debug)]
pub struct Column {
    /// Its name in the header row.
    pub name: &'static str,
    pub presence: Presence,
    pub holds: Holds,
    /// What it holds, in a planner's words (the template's Help sheet and drop-down hints).
    pub help: &'static str,
    /// Whether the workbook template has it (a few rarely used columns are left out).
    pub in_template: bool,
}

/// Which models name a table under `[tables]`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Named {
    /// Every model.
    Always,
    /// A single-year model, for its need (a multi-year model may give its need another way).
    SingleYear,
    /// Any model that has such things.
    Optional,
    /// Only a model with a `[horizon]`.
    MultiYear,
}

/// One table a model can use.
#[derive(Debug)]
pub struct TableSpec {
    /// Its key under `[tables]` (and its name in scenarios' `[[add_rows]]` and `[[remove_rows]]`).
    pub key: &'static str,
    /// The column naming a row, for `[[remove_rows]]`.
    pub id: &'static str,
    pub named: Named,
    /// Its sheet in the workbook template.
    pub sheet: &'static str,
    /// What it is for (the template's Help sheet).
    pub help: &'static str,
    /// Its columns, in the order the template and models/README.md give them.
    pub columns: &'static [Column],
}

impl TableSpec {
    /// The columns its header row must have (`multi_year`: in a model with a `[horizon]`).
    #[must_use]
    pub fn required(&self, multi_year: bool) -> Vec<&'static str> {
        let wanted = |p: Presence| p == Presence::Required || (multi_year && p == Presence::MultiYear);
        self.columns.iter().filter(|c| wanted(c.presence)).map(|c| c.name).collect()
    }

    /// The columns it may have besides.
    #[must_use]
    pub fn optional(&self) -> Vec<&'static str> {
        self.columns.iter().filter(|c| c.presence == Presence::Optional).map(|c| c.name).collect()
    }
}

/// The table named `key` under `[tables]`.
///
/// # Panics
/// If no table is named `key` (the loader asks only for tables of [`TABLES`]).
#[must_use]
pub fn table(key: &str) -> &'static TableSpec {
    find(key).unwrap_or_else(|| panic!("no table '{key}' in the schema"))
}

/// The table named `key` under `[tables]`, if there is one.
#[must_use]
pub fn find(key: &str) -> Option<&'static TableSpec> {
    TABLES.iter().find(|t| t.key == key)
}

const fn required(name: &'static str, holds: Holds, help: &'static str) -> Column {
    Column { name, presence: Presence::Required, holds, help, in_template: true }
}

const fn optional(name: &'static str, holds: Holds, help: &'static str) -> Column {
    Column { name, presence: Presence::Optional, holds, help, in_template: true }
}

/// A column the workbook template leaves out.
const fn not_in_template(column: Column) -> Column {
    Column { in_template: false, ..column }
}

const ID: Column = required("id", Holds::Text, "short code, unique in the sheet: letters, digits, - _ .");
const NAME: Column = required("name", Holds::Text, "name as reports show it");
const LAT: Column = required("latitude", Holds::Number, "decimal degrees (WGS 84), -90 to 90");
const LON: Column = required("longitude", Holds::Number, "decimal degrees (WGS 84), -180 to 180");
const IN_BOROUGH: Column = required("in_borough", Holds::Choice(&["yes", "no"]), "yes or no");
const NEEDS: Column = required("needs", Holds::Needs, "all, or need codes separated by ; (ASD;SLCN)");
const PHASES: Column = required("phases", Holds::Phases, "all, or phases separated by ; (primary;secondary)");
const PROVISION: Column = optional(
    "provision",
    Holds::Choice(&[
        "any",
        "mainstream",
        "inclusion-base",
        "resourced-provision",
        "special-school",
        "alternative-provision",
        "elsewhere",
    ]),
    "least provision needed: blank or any (a resourced provision will do), mainstream, inclusion-base, \
     special-school, alternative-provision or elsewhere",
);
const YEAR_GROUP: Column = required("year_group", Holds::Text, "national curriculum year: N1, N2, R, 1 to 14");
const SETTING: Column = required("setting", Holds::Text, "a setting's id");
const LOCALITY: Column = required("locality", Holds::Text, "a locality's id");
const NEED: Column = required("need", Holds::Need, "primary need");
const RESIDENCE: &[&str] = &["day", "38-week", "52-week"];

/// As a column of another table, but optional.
const fn or_blank(column: Column) -> Column {
    Column { presence: Presence::Optional, ..column }
}

/// Every table a model can use, in the order the loader lists them among a model's sources.
pub const TABLES: &[TableSpec] = &[
    TableSpec {
        key: "localities",
        id: "id",
        named: Named::Always,
        sheet: "Localities",
        help: "The home areas children come from (towns, wards or smaller areas). At least one row.",
        columns: &[ID, NAME, LAT, LON, IN_BOROUGH],
    },
    TableSpec {
        key: "settings",
        id: "id",
        named: Named::Always,
        sheet: "Settings",
        help: "The schools and units the council places children in now.",
        columns: &[
            ID,
            NAME,
            required("kind", Holds::Kind, "kind of setting (from the list)"),
            LAT,
            LON,
            IN_BOROUGH,
            required("places", Holds::Number, "places available to the authority's children (0 or more)"),
            PHASES,
            NEEDS,
            required("cost_per_place", Holds::Number, "£ a year: place funding + top-up, or the independent fee"),
            not_in_template(optional(
                "urn",
                Holds::Text,
                "the school's unique reference number in Get Information About Schools (digits), or blank",
            )),
            not_in_template(optional(
                "ukprn",
                Holds::Text,
                "the provider's 8-digit UK provider reference number, or blank",
            )),
        ],
    },
    TableSpec {
        key: "setting_needs",
        id: "setting",
        named: Named::Optional,
        sheet: "Setting needs",
        help: "Optional: terms for one need at a setting (a cap on its children, or its own fee).",
        columns: &[
            SETTING,
            required("need", Holds::Need, "a need the setting serves"),
            optional("places", Holds::Number, "most children of that need there (blank: no cap of its own)"),
            optional("cost_per_place", Holds::Number, "£ a year for that need (blank: the setting's)"),
        ],
    },
    TableSpec {
        key: "demand",
        id: "locality",
        named: Named::SingleYear,
        sheet: "Demand",
        help: "Forecast children needing a specialist place, by home locality, need and phase (a multi-year \
               model may add a year column, 2025/26, ...).",
        columns: &[
            Column {
                name: "year",
                presence: Presence::MultiYear,
                holds: Holds::Text,
                help: "school year, like 2025/26 (multi-year models only)",
                in_template: false,
            },
            LOCALITY,
            NEED,
            required("phase", Holds::Phase, "phase"),
            required("children", Holds::Number, "children, 0 or more (a forecast may be fractional)"),
            PROVISION,
        ],
    },
    TableSpec {
        key: "road_nodes",
        id: "id",
        named: Named::Optional,
        sheet: "Road nodes",
        help: "Optional, with Road edges: towns and junctions of the road network.",
        columns: &[ID, optional("name", Holds::Text, "name (optional)"), LAT, LON],
    },
    TableSpec {
        key: "road_edges",
        id: "from",
        named: Named::Optional,
        sheet: "Road edges",
        help: "Optional, with Road nodes: two-way roads between nodes.",
        columns: &[
            required("from", Holds::Text, "a road node's id"),
            required("to", Holds::Text, "a road node's id"),
            required("minutes", Holds::Number, "typical drive time"),
            optional("km", Holds::Number, "road distance (blank: straight line x circuity)"),
        ],
    },
    TableSpec {
        key: "cohort",
        id: "locality",
        named: Named::MultiYear,
        sheet: "Cohort",
        help: "Multi-year models: children needing a specialist place in the base year, by year group.",
        columns: &[
            LOCALITY,
            NEED,
            YEAR_GROUP,
            required("children", Holds::Number, "children, 0 or more"),
            PROVISION,
            not_in_template(optional(
                "residence",
                Holds::Choice(RESIDENCE),
                "blank, day, 38-week or 52-week: accepted, as in Current placements, and not used",
            )),
        ],
    },
    TableSpec {
        key: "forecast_rates",
        id: "variant",
        named: Named::MultiYear,
        sheet: "Forecast rates",
        help: "Multi-year models, with Cohort: new plans, leavers and growth, by forecast variant.",
        columns: &[
            required("variant", Holds::Text, "a forecast variant: low, central, high, ..."),
            NEED,
            YEAR_GROUP,
            required("new_plans", Holds::Number, "new plans a year across the authority"),
            required("ceasing_rate", Holds::Number, "share leaving a year, 0 to 1"),
            required("growth", Holds::Number, "growth a year of new plans (0.05 is 5%)"),
            optional("new_per_1000", Holds::Number, "optional: new plans a year per 1,000 of Population"),
            not_in_template(optional(
                "tier",
                Holds::Text,
                "optional: blank (every tier), or a provision code whose own ceasing rate the row gives",
            )),
        ],
    },
    TableSpec {
        key: "population",
        id: "locality",
        named: Named::MultiYear,
        sheet: "Population",
        help: "Optional, multi-year models: population by locality, year and year group.",
        columns: &[
            LOCALITY,
            required("year", Holds::Text, "school year, like 2025/26"),
            YEAR_GROUP,
            required("population", Holds::Number, "children living there"),
        ],
    },
    TableSpec {
        key: "tier_policy",
        id: "need",
        named: Named::MultiYear,
        sheet: "Tier policy",
        help: "Optional, multi-year models, with Cohort: the tiers new plans of a need and phase are met at \
               (shares adding to 1; without a row, the base year's split).",
        columns: &[
            NEED,
            required("phase", Holds::Phase, "phase"),
            optional("mainstream", Holds::Number, "share met in mainstream with support, 0 to 1 (blank: 0)"),
            optional("inclusion_base", Holds::Number, "share met in an inclusion base, 0 to 1"),
            optional("resourced_provision", Holds::Number, "share needing a specialist place, 0 to 1"),
            optional("special_school", Holds::Number, "share needing a special school, 0 to 1"),
            optional("alternative_provision", Holds::Number, "share in alternative provision, 0 to 1"),
            optional("elsewhere", Holds::Number, "share by other arrangements, 0 to 1"),
        ],
    },
    TableSpec {
        key: "current_placements",
        id: "setting",
        named: Named::MultiYear,
        sheet: "Current placements",
        help: "Optional, multi-year models: where children of the base year are placed now.",
        columns: &[
            SETTING,
            LOCALITY,
            NEED,
            YEAR_GROUP,
            required("children", Holds::Number, "children, 0 or more"),
            PROVISION,
            optional("residence", Holds::Choice(RESIDENCE), "blank or day; 38-week or 52-week if they board"),
        ],
    },
    TableSpec {
        key: "setting_places",
        id: "setting",
        named: Named::MultiYear,
        sheet: "Setting places",
        help: "Optional, multi-year models: a setting's places from a year on (0 closes it).",
        columns: &[
            SETTING,
            required("from_year", Holds::Text, "school year, like 2027/28"),
            required("places", Holds::Number, "places from that year on"),
        ],
    },
    TableSpec {
        key: "schemes",
        id: "id",
        named: Named::Optional,
        sheet: "Schemes",
        help: "Optional: candidate capital schemes (new schools, expansions, resource bases).",
        columns: &[
            ID,
            NAME,
            optional("kind", Holds::Kind, "kind of setting; blank for an expansion"),
            optional("expands", Holds::Text, "for an expansion: the setting's id"),
            or_blank(LAT),
            or_blank(LON),
            or_blank(IN_BOROUGH),
            required("opens", Holds::Text, "school year its places are first used, like 2027/28"),
            required("capital_cost", Holds::Number, "£ of capital a module"),
            optional("cost_per_place", Holds::Number, "£ a year a child placed (blank for an expansion)"),
            optional("fixed_annual_cost", Holds::Number, "£ a year of running cost a module once open"),
            optional("min_modules", Holds::Number, "fewest modules (default 1)"),
            optional("max_modules", Holds::Number, "most modules (default 1)"),
            optional("exclusive_group", Holds::Text, "schemes sharing a group: at most one is built"),
            optional("requires", Holds::Text, "scheme ids that must be built too, separated by ;"),
            optional("capital_profile", Holds::Text, "percentages of capital a year before opening (30;70)"),
            optional("fill_years", Holds::Number, "years its places take to fill (default 1: all at once)"),
            optional("programme", Holds::Text, "inclusion for an inclusion programme; blank for a capital scheme"),
            optional(
                "moves_from",
                Holds::Text,
                "an inclusion programme's tiers it takes children from, separated by ;",
            ),
            optional("share", Holds::Number, "an inclusion programme's share of new plans in those tiers (0.25)"),
        ],
    },
    TableSpec {
        key: "scheme_places",
        id: "scheme",
        named: Named::Optional,
        sheet: "Scheme places",
        help: "Optional, with Schemes: the places a module of a scheme adds.",
        columns: &[
            required("scheme", Holds::Text, "a scheme's id"),
            NEEDS,
            PHASES,
            required("places", Holds::Number, "places a module"),
            optional("opens", Holds::Text, "optional: year these places open (blank: the scheme's)"),
        ],
    },
    TableSpec {
        key: "purchasing_options",
        id: "id",
        named: Named::Optional,
        sheet: "Purchasing options",
        help: "Optional: frameworks, block and cost-and-volume contracts for independent places.",
        columns: &[
            ID,
            NAME,
            required(
                "kind",
                Holds::Choice(&["framework", "block", "cost-and-volume"]),
                "framework, block or cost-and-volume",
            ),
            required("settings", Holds::Text, "setting or market step ids separated by ;, independent or market"),
            or_blank(NEEDS),
            or_blank(PHASES),
            optional("discount", Holds::Number, "framework: fraction off each fee, 0 to 1"),
            optional("joining_fee", Holds::Number, "framework: £ a year to belong"),
            optional("fee_per_placement", Holds::Number, "framework: £ a year a child placed through it"),
            optional("max_children_per_setting", Holds::Number, "framework: most children a school takes through it"),
            optional("block_places", Holds::Number, "block: places in a block"),
            optional("block_price", Holds::Number, "block: £ a year a block"),
            optional("max_blocks", Holds::Number, "block: most blocks (default 1)"),
            optional("price_above", Holds::Number, "cost-and-volume: £ a year a child beyond the blocks"),
            optional("max_above", Holds::Number, "cost-and-volume: most children beyond the blocks"),
            optional("contract_years", Holds::Number, "years it runs from its start, 1 to 50 (blank: all)"),
            optional("uplift", Holds::Number, "rise a year of its prices, -0.2 to 0.5"),
            optional("acceptance", Holds::Number, "framework: share of offers providers accept, 0 to 1"),
            optional("starts", Holds::Text, "school year it starts, e.g. 2026/27 (blank: the first planned)"),
            optional("notice_years", Holds::Number, "whole years of notice to end it at a break (blank: 0)"),
            optional("break_after", Holds::Text, "years after the start it may be ended, separated by ;"),
        ],
    },
    TableSpec {
        key: "purchasing_prices",
        id: "option",
        named: Named::Optional,
        sheet: "Purchasing prices",
        help: "Optional, with Purchasing options: a framework's price caps or bands by need and phase.",
        columns: &[
            required("option", Holds::Text, "a purchasing option's id"),
            NEEDS,
            PHASES,
            required("rule", Holds::Choice(&["cap", "band"]), "cap (at most the price) or band (the price)"),
            required("price", Holds::Number, "£ a year"),
        ],
    },
    TableSpec {
        key: "transport_options",
        id: "id",
        named: Named::Optional,
        sheet: "Transport options",
        help: "Optional: travel training, personal transport budgets and shared routes, appraised by commission.",
        columns: &[
            ID,
            NAME,
            required(
                "kind",
                Holds::Choice(&["travel-training", "personal-budget", "shared-route"]),
                "travel-training, personal-budget or shared-route",
            ),
            or_blank(NEEDS),
            or_blank(PHASES),
            required("take_up", Holds::Number, "share of the transported children offered it who take it, 0 to 1"),
            optional("cost_per_child", Holds::Number, "travel-training: £ a child, once"),
            optional("lasts_years", Holds::Number, "travel-training: years the child then travels alone"),
            optional("per_mile", Holds::Number, "personal-budget: £ a mile of each journey"),
            optional("saving_share", Holds::Number, "shared-route: share by which a child's transport cost falls"),
        ],
    },
    TableSpec {
        key: "locality_caps",
        id: "setting",
        named: Named::Optional,
        sheet: "Locality caps",
        help: "Optional: the most children from one home locality the council places at one setting.",
        columns: &[SETTING, LOCALITY, required("max_children", Holds::Number, "most children, 0 or more")],
    },
    TableSpec {
        key: "market",
        id: "id",
        named: Named::Optional,
        sheet: "Market",
        help: "Optional: places bought from the independent market, as price steps filled cheapest first.",
        columns: &[
            ID,
            NAME,
            NEEDS,
            PHASES,
            optional("places", Holds::Number, "most children at this step (blank: no limit)"),
            required("cost_per_place", Holds::Number, "£ a year a child"),
            required("journey_minutes", Holds::Number, "typical journey each way from the borough, minutes"),
            optional("journey_km", Holds::Number, "typical journey each way, km (blank: from the minutes)"),
            optional("residence", Holds::Choice(RESIDENCE), "blank or day, 38-week or 52-week"),
            optional("transport_per_child", Holds::Number, "£ a year of transport, for a residential step"),
        ],
    },
];

#[cfg(test)]
mod tests;
