//! The model file (TOML) exactly as written: serde structs that mirror it, nothing more.
//! Defaults and checks are applied in [`super::load`].

use std::collections::BTreeMap;

use serde::Deserialize;

/// A model file.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ModelFile {
    pub name: String,
    pub planning_year: Option<String>,
    #[serde(default)]
    pub description: String,
    pub needs: Option<Vec<String>>,
    pub phases: Option<Vec<String>>,
    pub tables: TablesFile,
    #[serde(default)]
    pub policy: PolicyFile,
    #[serde(default)]
    pub transport: TransportFile,
    pub horizon: Option<HorizonFile>,
    #[serde(default)]
    pub appraisal: AppraisalFile,
    #[serde(default)]
    pub annex: AnnexFile,
    #[serde(default)]
    pub uplift: UpliftFile,
    pub high_needs: Option<HighNeedsFile>,
    pub risk: Option<RiskFile>,
}

/// `[high_needs]`: the high-needs block of the Dedicated Schools Grant.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HighNeedsFile {
    pub grant: Option<f64>,
    pub grant_growth: Option<f64>,
    pub deficit_brought_forward: Option<f64>,
    pub deficit_target: Option<f64>,
    pub mainstream_top_ups: Option<f64>,
    pub mainstream_top_ups_growth: Option<f64>,
    pub alternative_provision: Option<f64>,
    pub alternative_provision_growth: Option<f64>,
    pub further_education: Option<f64>,
    pub further_education_growth: Option<f64>,
    pub support_services: Option<f64>,
    pub support_services_growth: Option<f64>,
}

/// `[risk]`: how the futures of `schemes --draws` spread.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RiskFile {
    pub need_variants: Option<Vec<String>>,
    pub fee_rise_low: Option<f64>,
    pub fee_rise_high: Option<f64>,
    pub market_low: Option<f64>,
    pub market_likely: Option<f64>,
    pub market_high: Option<f64>,
    pub overrun_low: Option<f64>,
    pub overrun_likely: Option<f64>,
    pub overrun_high: Option<f64>,
    pub late_chance: Option<f64>,
}

/// `[uplift]`: how costs rise a year after the base year.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UpliftFile {
    pub default: Option<f64>,
    pub independent: Option<f64>,
    pub transport: Option<f64>,
}

/// `[annex]`: how the sufficiency statement annex is published.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AnnexFile {
    pub suppression_threshold: Option<f64>,
    pub capital_budget: Option<f64>,
    pub council: Option<String>,
    /// The DfE's published caseload of EHC plans by establishment type, for context.
    pub caseload: Option<String>,
    /// The authority in `caseload` (its code or name), if the model's name does not say.
    pub caseload_la: Option<String>,
    /// The council's GeoJSON file of its localities' boundaries.
    pub areas: Option<String>,
    /// The property of each feature of `areas` naming its locality.
    pub area_name: Option<String>,
    /// Who to contact about the statement.
    pub contact: Option<String>,
    /// When the statement will next be reviewed.
    pub review_date: Option<String>,
    /// Whether rejected schemes' sites and block contracts' providers are named.
    pub name_providers: Option<bool>,
    /// Futures the annex's risk section draws (0: none), and their seed.
    pub risk_draws: Option<f64>,
    pub risk_seed: Option<f64>,
    /// Section (as [`crate::model::COMMENTARY_SECTIONS`] names them) → the council's text file.
    #[serde(default)]
    pub commentary: std::collections::BTreeMap<String, String>,
}

/// `[appraisal]`: how capital schemes are appraised.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AppraisalFile {
    pub discount_rate: Option<f64>,
    pub inflation: Option<f64>,
    pub residual_years: Option<f64>,
    pub capital: Option<CapitalFile>,
    pub asset_life_years: Option<f64>,
    pub variants: Option<Vec<String>>,
    pub place_funding_special: Option<f64>,
    pub place_funding_resourced: Option<f64>,
}

/// `appraisal.capital`.
#[derive(Debug, Clone, Copy, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum CapitalFile {
    Annualised,
    Upfront,
}

/// `[horizon]`: plan several years.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HorizonFile {
    pub first_year: String,
    pub years: i64,
    pub variant: Option<String>,
    #[serde(default)]
    pub phase_year_groups: BTreeMap<String, String>,
}

/// `[tables]`: CSV files, relative to the model file, by the keys of
/// [`super::schema::TABLES`] (an unknown key is refused before this is read, by
/// [`super::keys`], and `localities` and `settings` are there).
#[derive(Debug, Deserialize)]
pub struct TablesFile {
    /// The workbook whose sheets hold the tables not named as `.csv` files.
    pub workbook: Option<String>,
    /// Each table named, by its key.
    #[serde(flatten)]
    pub named: BTreeMap<String, String>,
}

impl TablesFile {
    /// The path (or sheet) the model file gives for table `key`, if it names one.
    pub fn get(&self, key: &str) -> Option<&str> {
        self.named.get(key).map(String::as_str)
    }

    /// The path of a table every model names ([`super::schema::Named::Always`]).
    pub fn always(&self, key: &str) -> &str {
        self.get(key).unwrap_or_default()
    }
}

/// `[policy]`.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PolicyFile {
    pub objective: Option<ObjectiveFile>,
    pub out_of_borough_weight: Option<f64>,
    pub unmet_penalty: Option<f64>,
    #[serde(default)]
    pub max_journey_minutes: BTreeMap<String, f64>,
    #[serde(default)]
    pub share_transported: BTreeMap<String, f64>,
}

/// `policy.objective`.
#[derive(Debug, Clone, Copy, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ObjectiveFile {
    Weighted,
    Lexicographic,
}

/// `[transport]`.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TransportFile {
    pub fixed_per_child: Option<f64>,
    pub cost_per_km: Option<f64>,
    pub cost_per_minute: Option<f64>,
    pub journeys_per_day: Option<f64>,
    pub school_days: Option<f64>,
    pub circuity: Option<f64>,
    pub average_speed_kmh: Option<f64>,
    pub max_access_km: Option<f64>,
}
