//! `[annex]`: how the sufficiency statement annex is published (suppression, budget,
//! commentary, the caseload shown for context, the localities' boundaries).

use super::{Money, input};

/// `[annex]`: how the sufficiency statement annex is published.
#[derive(Debug, Clone, PartialEq)]
pub struct AnnexSettings {
    /// Counts of children from 1 to this less one are withheld (5: counts of 1 to 4).
    pub suppression_threshold: f64,
    /// Capital budget the schemes in the annex are chosen within (none: no limit).
    pub capital_budget: Option<Money>,
    /// The council the annex is published by, for its title and headings (none: the
    /// model's name).
    pub council: Option<String>,
    /// The council's own commentary: (section id, text), in the order of
    /// [`COMMENTARY_SECTIONS`]; each is placed at the start of its section.
    pub commentary: Vec<(String, String)>,
    /// All the authority's EHC plans by type of setting as the DfE publishes them
    /// (`[annex] caseload`), shown for context: the file's name and its figures.
    pub caseload: Option<(String, input::sen2::Caseload)>,
    /// The council's boundaries of its localities (`[annex] areas`), drawn on the borough
    /// map and written as the localities' GIS layer (none: localities are points).
    pub areas: Option<Areas>,
    /// Who to contact about the statement (`[annex] contact`): a team, an email address or
    /// a telephone number, shown on the summary and in the accessibility statement.
    pub contact: Option<String>,
    /// When the statement will next be reviewed (`[annex] review_date`), as the council
    /// writes it ("September 2027").
    pub review_date: Option<String>,
    /// Whether the annex names providers where that may be commercially sensitive: the sites
    /// of schemes not chosen and the providers of block contracts (`[annex] name_providers`;
    /// default no: they are described by kind instead).
    pub name_providers: bool,
    /// Futures the annex's risk section runs the chosen schemes in (`[annex] risk_draws`;
    /// default [`DEFAULT_RISK_DRAWS`] when the model has `[risk]`, else 0: no section), and
    /// their seed (`risk_seed`, default [`DEFAULT_RISK_SEED`]).
    pub risk_draws: usize,
    /// The seed of the annex's futures.
    pub risk_seed: u64,
}

/// One locality's area: polygons, each its outer ring then its holes, each ring a list of
/// (longitude, latitude) positions in WGS84, not repeating its first position at the end.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Area {
    /// The polygons (empty: the locality has no area).
    pub polygons: Vec<Vec<Vec<(f64, f64)>>>,
}

/// The boundaries of the model's localities, from the council's GeoJSON file.
#[derive(Debug, Clone, PartialEq)]
pub struct Areas {
    /// The file's name (without its folder), for the annex's captions.
    pub file: String,
    /// Each locality's area, by [`LocalityIx`](super::LocalityIx) (every locality in the borough has one).
    pub of_locality: Vec<Area>,
}

/// The annex's sections the council may write commentary for: the key under
/// `[annex.commentary]`, and the section's id (`introduction` is a section of its own, first).
pub const COMMENTARY_SECTIONS: [(&str, &str); 8] = [
    ("introduction", "introduction"),
    ("need", "need"),
    ("places", "places"),
    ("places_required", "places-required"),
    ("placements", "placements"),
    ("schemes", "schemes"),
    ("commissioning", "commissioning"),
    ("method", "method"),
];

/// Futures the annex draws when the model has `[risk]`: enough for its percentiles to
/// settle to about a point, few enough for the sample's annex to stay quick.
pub const DEFAULT_RISK_DRAWS: usize = 200;

/// The seed of the annex's futures unless `[annex] risk_seed` says.
pub const DEFAULT_RISK_SEED: u64 = 7;

/// Counts below this are withheld unless the model says otherwise (as in DfE statistics).
pub const DEFAULT_SUPPRESSION_THRESHOLD: f64 = 5.0;

impl Default for AnnexSettings {
    fn default() -> AnnexSettings {
        AnnexSettings {
            suppression_threshold: DEFAULT_SUPPRESSION_THRESHOLD,
            capital_budget: None,
            council: None,
            commentary: Vec::new(),
            caseload: None,
            areas: None,
            contact: None,
            review_date: None,
            name_providers: false,
            risk_draws: 0,
            risk_seed: DEFAULT_RISK_SEED,
        }
    }
}
