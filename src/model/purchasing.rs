//! Commissioning options: frameworks and block contracts for independent and non-maintained
//! places, their prices and how long they run.

use super::{CodeSet, Covers, Money, Need, Phase, SchoolYear, SettingIx};

/// A way of buying places at independent and non-maintained schools other than spot
/// purchase at each school's own fee (which is always open).
#[derive(Debug, Clone, PartialEq)]
pub struct PurchasingOption {
    /// Id as written in the tables.
    pub id: String,
    /// Name shown in reports.
    pub name: String,
    /// Settings it covers.
    pub settings: Vec<SettingIx>,
    /// Needs it covers.
    pub needs: CodeSet,
    /// Phases it covers.
    pub phases: CodeSet,
    /// Its terms.
    pub terms: PurchasingTerms,
    /// How long it runs and how its prices rise.
    pub contract: Contract,
    /// Share of the children offered through it that providers accept (a framework does not
    /// guarantee a place: 1 = all, 0.8 = four in five); the rest are bought at spot prices.
    pub acceptance: f64,
}

/// How long a commissioning option runs, how its own prices (caps, bands, fees, block sums,
/// prices beyond the blocks) rise a year, and how the council may end it.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Contract {
    /// The school year it starts (none: the first year planned); not open before it.
    pub starts: Option<SchoolYear>,
    /// Years it runs from its start (none: for as long as is planned).
    pub years: Option<u32>,
    /// Its prices' rise a year from its start (0.03 is 3%).
    pub uplift: f64,
    /// Whole years of notice the council gives to end it at a break point.
    pub notice_years: u32,
    /// Whole years after the start at which the council may end it (break points).
    pub break_after: Vec<u32>,
}

impl Contract {
    /// Its first year, where the first year planned is `first`.
    #[must_use]
    pub fn first_year(&self, first: SchoolYear) -> SchoolYear {
        self.starts.unwrap_or(first)
    }

    /// Years from its start to `year` (negative before it starts), the first year planned
    /// being `first`.
    #[must_use]
    pub fn years_in(&self, first: SchoolYear, year: SchoolYear) -> i32 {
        i32::from(year.0) - i32::from(self.first_year(first).0)
    }

    /// Whether it is open in `year`: started, and not yet ended.
    #[must_use]
    pub fn open_in(&self, first: SchoolYear, year: SchoolYear) -> bool {
        u32::try_from(self.years_in(first, year)).is_ok_and(|k| self.years.is_none_or(|y| k < y))
    }
}

/// The terms of a [`PurchasingOption`].
#[derive(Debug, Clone, PartialEq)]
pub enum PurchasingTerms {
    /// A framework or purchasing system: member schools' prices by rule, for a fee to join.
    Framework {
        /// Fraction off each school's own fee (0 to 1).
        discount: f64,
        /// Caps and bands by need and phase, applied after the discount.
        prices: Vec<PriceRule>,
        /// £ a year for belonging, used or not.
        joining_fee: Money,
        /// £ a year per child placed through it, on top of the price.
        fee_per_placement: Money,
        /// Most children one school takes through it, if capped.
        max_children_per_setting: Option<f64>,
    },
    /// A block contract at one school: places reserved in whole blocks for a fixed annual
    /// sum, paid whether used or not; with `above`, a cost-and-volume contract.
    Block {
        /// Places in one block.
        block_places: f64,
        /// £ a year for one block.
        block_price: Money,
        /// Most blocks that can be bought.
        max_blocks: u32,
        /// Children beyond the blocks at an agreed price each (cost and volume), and the
        /// most of them.
        above: Option<(Money, f64)>,
    },
}

/// How a framework prices a need and phase.
#[derive(Debug, Clone, PartialEq)]
pub struct PriceRule {
    /// Needs it prices.
    pub needs: CodeSet,
    /// Phases it prices.
    pub phases: CodeSet,
    /// A cap (no more than) or a band (exactly).
    pub kind: PriceRuleKind,
    /// £ a year per child.
    pub price: Money,
}

/// Whether a [`PriceRule`] caps the price or sets it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PriceRuleKind {
    /// The price is at most this.
    Cap,
    /// The price is this, whatever the school's own fee.
    Band,
}

impl PurchasingOption {
    /// Whether it covers need `n` and phase `p` at setting `s`.
    #[must_use]
    pub fn covers_at(&self, s: SettingIx, n: Need, p: Phase) -> bool {
        self.settings.contains(&s) && self.covers(n, p)
    }

    /// Price a year of one child of need `n` and phase `p` through it, at a school whose own
    /// fee is `fee` (framework), or within the blocks (block: 0, the blocks are paid for).
    #[must_use]
    pub fn price(&self, fee: Money, n: Need, p: Phase) -> Money {
        match &self.terms {
            PurchasingTerms::Framework { discount, prices, fee_per_placement, .. } => {
                let mut price = fee * (1.0 - discount);
                if let Some(rule) = prices.iter().find(|r| r.covers(n, p)) {
                    price = match rule.kind {
                        PriceRuleKind::Cap => Money(price.0.min(rule.price.0)),
                        PriceRuleKind::Band => rule.price,
                    };
                }
                price + *fee_per_placement
            }
            PurchasingTerms::Block { .. } => Money(0.0),
        }
    }

    /// Whether it is a block contract.
    #[must_use]
    pub fn is_block(&self) -> bool {
        matches!(self.terms, PurchasingTerms::Block { .. })
    }

    /// The option `k` years on: its own prices raised by its contract's uplift. (A framework's
    /// discount follows each school's fee, which `[uplift]` raises.)
    #[must_use]
    pub fn years_on(&self, k: i32) -> PurchasingOption {
        let f = (1.0 + self.contract.uplift).powi(k);
        let mut o = self.clone();
        match &mut o.terms {
            PurchasingTerms::Framework { prices, joining_fee, fee_per_placement, .. } => {
                for rule in prices {
                    rule.price = rule.price * f;
                }
                *joining_fee = *joining_fee * f;
                *fee_per_placement = *fee_per_placement * f;
            }
            PurchasingTerms::Block { block_price, above, .. } => {
                *block_price = *block_price * f;
                if let Some((price, _)) = above {
                    *price = *price * f;
                }
            }
        }
        o
    }
}
