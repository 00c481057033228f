//! The high-needs block year by year, with and without the programme: the grant, the plan's
//! spend on specialist places (from the business case), the other high-needs spend the
//! model states, the in-year balance and the cumulative deficit.
//!
//! The grant and the other lines come from `[high_needs]`; the spend on places is the
//! business case's (place funding, top-ups and independent fees, with the new places' running
//! costs and place funding). Transport is paid from the council's general fund, not the
//! block: it is carried beside the block, never in it.

use crate::model::{HighNeeds, Model, Money, OtherSpend, SchoolYear};
use crate::planning::business_case::BusinessCase;

/// One year of the block.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct BlockYear {
    /// The school year.
    pub year: SchoolYear,
    /// The high-needs grant.
    pub grant: Money,
    /// The plan's spend on specialist places.
    pub places: Money,
    /// The other lines, in the order of [`OtherSpend::ALL`].
    pub other: [Money; 4],
}

impl BlockYear {
    /// All the block's spend this year.
    #[must_use]
    pub fn spend(&self) -> Money {
        self.places + self.other.iter().copied().sum()
    }

    /// Grant less spend: negative when the year overspends.
    #[must_use]
    pub fn balance(&self) -> Money {
        self.grant - self.spend()
    }
}

/// The block over the years planned, from the deficit brought forward. Made only by
/// [`Ledger::new`], so its grant and other lines are always the model's.
#[derive(Debug, Clone, PartialEq)]
pub struct Ledger {
    brought_forward: Money,
    years: Vec<BlockYear>,
}

impl Ledger {
    /// The block of `places` (each year's spend on specialist places), with the grant and
    /// other lines of `block` for those years (`first`: the first year planned, whose amounts
    /// the model states).
    #[must_use]
    pub fn new(block: &HighNeeds, first: SchoolYear, places: impl IntoIterator<Item = (SchoolYear, Money)>) -> Ledger {
        let years = places
            .into_iter()
            .map(|(year, places)| {
                let k = usize::from(year.0.saturating_sub(first.0));
                BlockYear {
                    year,
                    grant: block.grant.in_year(k),
                    places,
                    other: OtherSpend::ALL.map(|line| block.other_in_year(line, k)),
                }
            })
            .collect();
        Ledger { brought_forward: block.deficit_brought_forward, years }
    }

    /// The cumulative deficit at the start of the first year (negative: a surplus).
    #[must_use]
    pub fn brought_forward(&self) -> Money {
        self.brought_forward
    }

    /// Year by year.
    #[must_use]
    pub fn years(&self) -> &[BlockYear] {
        &self.years
    }

    /// The cumulative deficit at the end of each year: brought forward less each year's
    /// balance to date.
    #[must_use]
    pub fn cumulative_deficit(&self) -> Vec<Money> {
        let mut deficit = self.brought_forward;
        self.years
            .iter()
            .map(|y| {
                deficit = deficit - y.balance();
                deficit
            })
            .collect()
    }

    /// The cumulative deficit at the end of `year`, if the ledger has it.
    #[must_use]
    pub fn deficit_at(&self, year: SchoolYear) -> Option<Money> {
        let k = self.years.iter().position(|y| y.year == year)?;
        self.cumulative_deficit().get(k).copied()
    }
}

/// The block with and without the programme, and transport (general fund) beside it.
#[derive(Debug, Clone, PartialEq)]
pub struct Block {
    /// Without the programme (the baseline).
    pub without: Ledger,
    /// With the programme.
    pub with: Ledger,
    /// Home-to-school transport each year, without and with: the general fund, not the block.
    pub transport: Vec<(Money, Money)>,
}

impl Block {
    /// The block of a business case, if the model states one.
    #[must_use]
    pub fn of_case(model: &Model, case: &BusinessCase) -> Option<Block> {
        let block = model.high_needs.as_ref()?;
        let first = model.planning_year;
        Some(Block {
            without: Ledger::new(block, first, case.years.iter().map(|y| (y.year, y.without.0))),
            with: Ledger::new(block, first, case.years.iter().map(|y| (y.year, y.with.0))),
            transport: case.years.iter().map(|y| (y.without.1, y.with.1)).collect(),
        })
    }
}

#[cfg(test)]
mod tests;
