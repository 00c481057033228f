//! The commissioning section: ways of buying independent places compared in one year, with
//! break-even figures; for a multi-year model, the options over the years (children keeping
//! the terms they were bought on), block contracts as signed (their voids and what those
//! cost, notice and break points) and each option's value over its whole term.

use crate::model::{PurchasingOption, PurchasingTerms};
use crate::outputs::annex::disclosure::CellId;
use crate::outputs::annex::{Column, Unit, Value};
use crate::planning::commissioning::years::{ContractValue, OverTheYears};

use crate::outputs::annex::content::builder::{Builder, Part, key};
use crate::outputs::annex::content::draft::{Cell, Draft, number, text};
use crate::outputs::annex::content::inputs::CommissioningPart;
use crate::outputs::annex::content::words::{option_name, options_used};

fn blank() -> Cell {
    Cell::Value(Value::Blank)
}

/// An option's kind in words.
fn kind(o: &PurchasingOption) -> &'static str {
    match o.terms {
        PurchasingTerms::Framework { .. } => "framework",
        PurchasingTerms::Block { above: None, .. } => "block contract",
        PurchasingTerms::Block { above: Some(_), .. } => "cost and volume contract",
    }
}

impl Builder<'_> {
    pub(in crate::outputs::annex::content) fn commissioning_section(&mut self, part: CommissioningPart<'_>) {
        let c = part.comparison;
        let model = self.model;
        self.section("commissioning", "Commissioning: buying independent places");
        self.add(Part::Paragraph(format!(
            "Ways of buying places at independent and non-maintained special schools compared for {}: spot \
             purchase alone, each option with spot purchase, and the best combination, each with the least-cost \
             placement of every child.",
            c.year
        )));
        let mut t = Draft::new(
            "commissioning",
            format!("Ways of buying independent places compared, {}", c.year),
            format!(
                "Spend is a year's cost of places (with option fees) and transport; saving is against spot purchase \
                 only. Each way of buying is compared with every child placed afresh at least cost, so that all are \
                 compared on the same footing; the year-by-year plan (the table of placements by year) keeps children \
                 where they are placed until they change phase, so its total spend for {} differs from the spend \
                 here.{}",
                c.year,
                if self.model.annex.name_providers {
                    ""
                } else {
                    " Block contracts are numbered, not named: their providers and terms are commercially sensitive."
                }
            ),
            vec![
                Column::new("Option set", Unit::Text),
                Column::new("Options used", Unit::Text),
                Column::new("Spend a year", Unit::Pounds),
                Column::new("On independent places", Unit::Pounds),
                Column::new("Children at independent schools", Unit::Children),
                Column::new("Saving against spot purchase", Unit::Pounds),
            ],
        );
        let spot = c.evaluations[0].spend().0;
        let all = &model.purchasing;
        let names = model.annex.name_providers;
        let base_year = c.year == self.first();
        for (i, e) in c.evaluations.iter().enumerate() {
            // A count of pupils when the comparison is of the base year; else a forecast.
            let children = if base_year {
                let id = self.counts.shown(key("commissioning", &c.year, &[&i.to_string()]), e.independent_children);
                Cell::Count(id)
            } else {
                number(e.independent_children)
            };
            t.rows.push(vec![
                text(
                    c.options
                        .iter()
                        .find(|o| o.name == e.label)
                        .map_or_else(|| e.label.clone(), |o| option_name(all, o, names)),
                ),
                text(options_used(all, &c.options, e, names)),
                number(e.spend().0),
                number(e.independent_spend.0),
                children,
                number(spot - e.spend().0),
            ]);
        }
        self.add(Part::Table(t));
        self.break_even_table(part);
        if let Some(over) = part.over {
            self.years_table(over);
            self.signed_tables(over);
            self.whole_term_table(over);
        }
        for l in part.left_out {
            self.add(Part::Paragraph(format!("{} not worked out: {}.", l.stage, l.reason)));
        }
    }

    /// Break-even figures in one table: each framework's discount and acceptance, each
    /// block contract's price a block in the year compared and over its term.
    fn break_even_table(&mut self, part: CommissioningPart<'_>) {
        let (c, b) = (part.comparison, part.break_evens);
        let model = self.model;
        let all = &model.purchasing;
        let names = model.annex.name_providers;
        let over_term =
            |id: &str| -> Option<&ContractValue> { part.over?.contracts.iter().find(|v| all[v.option].id == id) };
        let mut t = Draft::new(
            "commissioning-break-even",
            "Break-even figures of each commissioning option",
            format!(
                "Where each option stops paying for itself against spot purchase only. A framework's break-even \
                 discount is the least discount off every member school's own fee at which joining it (with its fees \
                 and caps) costs less than spot purchase in {year}; its break-even acceptance the least share of the \
                 children offered that its providers must accept for joining to cost less. A block contract's \
                 break-even price for {year} is the price a year of one block at which buying its blocks costs the \
                 same as not buying them (the other options as the best combination takes them); over its term, the \
                 block price at its start at which the present value of its spend over the years it runs equals spot \
                 purchase's, with that many blocks held from its start.{}",
                if part.over.is_some() {
                    " A block's price rises by the contract's uplift each year from its start: the prices for the \
                     year compared are the start's risen so."
                } else {
                    ""
                },
                year = c.year
            ),
            Vec::new(),
        );
        t.columns = vec![
            Column::new("Option", Unit::Text),
            Column::new("Kind", Unit::Text),
            Column::new("Blocks", Unit::Text),
            Column::new("Break-even discount", Unit::Percent),
            Column::new("Acceptance assumed", Unit::Percent),
            Column::new("Break-even acceptance", Unit::Percent),
            Column::new(format!("Price a block, {}", c.year), Unit::Pounds),
            Column::new(format!("Break-even price a block, {}", c.year), Unit::Pounds),
        ];
        let term_columns = part.over.is_some();
        if term_columns {
            t.columns.push(Column::new("Price a block at its start", Unit::Pounds));
            t.columns.push(Column::new("Break-even price a block at its start, over the term", Unit::Pounds));
        }
        let percent = |v: Option<f64>| v.map_or_else(blank, |v| number(100.0 * v));
        for (o, option) in c.options.iter().enumerate() {
            let name = text(option_name(all, option, names));
            match option.terms {
                PurchasingTerms::Framework { .. } => {
                    let discount = c.break_even.iter().find(|d| d.0 == o).and_then(|d| d.1);
                    let acceptance = b.acceptance.iter().find(|a| a.0 == o).and_then(|a| a.1);
                    let mut row = vec![
                        name,
                        text(kind(option)),
                        blank(),
                        percent(discount),
                        number(100.0 * option.acceptance),
                        percent(acceptance),
                        blank(),
                        blank(),
                    ];
                    if term_columns {
                        row.extend([blank(), blank()]);
                    }
                    t.rows.push(row);
                }
                PurchasingTerms::Block { block_price, .. } => {
                    let year = b.block_prices.iter().find(|p| p.option == o);
                    let term = over_term(&option.id);
                    // Each number of blocks priced: the year's, and each held from the start.
                    let mut blocks: Vec<u32> = year.map(|p| p.blocks).into_iter().collect();
                    blocks.extend(term.iter().flat_map(|v| v.held_from_start.iter().map(|h| h.blocks)));
                    blocks.sort_unstable();
                    blocks.dedup();
                    for n in blocks {
                        let in_year = year.filter(|p| p.blocks == n).map(|p| p.break_even().0);
                        let held = term.and_then(|v| v.held_from_start.iter().find(|h| h.blocks == n));
                        let mut row = vec![
                            text(option_name(all, option, names)),
                            text(kind(option)),
                            text(n.to_string()),
                            blank(),
                            blank(),
                            blank(),
                            number(block_price.0),
                            in_year.map_or_else(blank, number),
                        ];
                        if term_columns {
                            let start = all.iter().find(|m| m.id == option.id).map(|m| &m.terms);
                            let start = match start {
                                Some(PurchasingTerms::Block { block_price, .. }) => number(block_price.0),
                                _ => blank(),
                            };
                            row.push(start);
                            row.push(held.and_then(|h| h.break_even_price).map_or_else(blank, |p| number(p.0)));
                        }
                        t.rows.push(row);
                    }
                }
            }
        }
        if !t.rows.is_empty() {
            self.add(Part::Table(t));
        }
    }

    /// Each option set year by year: spend, saving, children through options kept on earlier
    /// terms and new, block places paid for and their voids.
    fn years_table(&mut self, over: &OverTheYears) {
        let model = self.model;
        let all = &model.purchasing;
        let names = model.annex.name_providers;
        let (first, last) = (self.first(), self.last());
        self.add(Part::Paragraph(format!(
            "Over the years, {first} to {last}, each option set is planned year by year with children staying \
             where they are placed. Children placed before an option starts keep the price they were bought on (spot \
             purchase) until they change school or phase; children placed while it runs take its terms and keep them \
             while they stay; when it ends they are bought at spot prices. Providers' acceptance applies to new \
             children only. A block contract's blocks are chosen in its first year and paid for through its term, \
             used or not: the places paid for and left empty are its voids."
        )));
        let mut t = Draft::new(
            "commissioning-years",
            format!("Commissioning options over the years, {first} to {last}"),
            "Saving is against spot purchase only: the spot purchase only row's spend in the same year less this \
             row's. Children through options are those bought on an option's terms: kept on earlier terms (placed in \
             an earlier year and staying) and new this year. Voids are block places paid for less the children in \
             them (what voids cost: the table of block contracts as signed). Figures are rounded, so a difference of \
             rounded figures may be out by one unit.",
            vec![
                Column::new("Option set", Unit::Text),
                Column::new("Year", Unit::Text),
                Column::new("Options used", Unit::Text),
                Column::new("Spend a year", Unit::Pounds),
                Column::new("Saving against spot purchase", Unit::Pounds),
                Column::new("Children through options, kept on earlier terms", Unit::Children),
                Column::new("Children through options, new", Unit::Children),
                Column::new("Block places paid for", Unit::Places),
                Column::new("Children in block places", Unit::Children),
                Column::new("Voids (block places empty)", Unit::Places),
            ],
        );
        let spot = &over.sets[0];
        for (i, set) in over.sets.iter().enumerate() {
            let label = match set.open[..] {
                [] => "Spot purchase only".to_string(),
                [o] => option_name(all, &all[o], names),
                _ => "Every option open".to_string(),
            };
            for (y, s) in set.years.iter().zip(&spot.years) {
                let year = y.year.to_string();
                // Counts of pupils in the base year (withheld when small); else forecasts.
                let mut count = |what: &str, v: f64| -> (Cell, Vec<CellId>) {
                    if year == first {
                        let id = self.counts.shown(key("commissioning-years", &year, &[&i.to_string(), what]), v);
                        (Cell::Count(id), vec![id])
                    } else {
                        (number(v), Vec::new())
                    }
                };
                let (kept, _) = count("kept", y.kept_through_options);
                let (new, _) = count("new", y.new_through_options());
                let (in_blocks, from) = count("blocks", y.children_in_blocks());
                let derived = |v: f64| if from.is_empty() { number(v) } else { Cell::Derived(v, from) };
                t.rows.push(vec![
                    text(label.clone()),
                    text(year.clone()),
                    text(options_used(all, &y.options, &y.evaluation, names)),
                    number(y.evaluation.spend().0),
                    number((s.evaluation.spend() - y.evaluation.spend()).0),
                    kept,
                    new,
                    number(y.block_places()),
                    in_blocks,
                    derived(y.voids()),
                ]);
            }
        }
        self.add(Part::Table(t));
    }

    /// Block contracts as signed: each number of blocks held from the start, year by year
    /// (places paid for, voids and what they cost); then each break point.
    fn signed_tables(&mut self, over: &OverTheYears) {
        let model = self.model;
        let all = &model.purchasing;
        let names = model.annex.name_providers;
        let held: Vec<&ContractValue> = over.contracts.iter().filter(|c| !c.held_from_start.is_empty()).collect();
        if held.is_empty() {
            return;
        }
        self.add(Part::Paragraph(
            "A block contract is signed for its term: the council pays for its blocks every year it runs, whether \
             or not children fill them. Signed with each number of blocks from its start, the places left empty \
             (voids) and what they cost show how much demand the contract needs; where the contract has break \
             points, ending it at one (with notice given in time) is set against keeping it to its term."
                .into(),
        ));
        let mut t = Draft::new(
            "commissioning-blocks",
            "Block contracts as signed: places paid for and voids by year",
            "Places paid for are the blocks held × the places in a block. Voids are places paid for and left empty \
             with the children placed at least cost around the blocks; what they cost is the voids × the price a \
             place that year (the price a block, risen by the contract's uplift each year from its start, ÷ the \
             places in a block). Forecast years: the voids are not counts of pupils.",
            vec![
                Column::new("Contract", Unit::Text),
                Column::new("Blocks held", Unit::Text),
                Column::new("Year", Unit::Text),
                Column::new("Places paid for", Unit::Places),
                Column::new("Voids (places empty)", Unit::Places),
                Column::new("Price a place", Unit::PoundsEach),
                Column::new("What the voids cost", Unit::Pounds),
            ],
        );
        for c in &held {
            let option = &all[c.option];
            let PurchasingTerms::Block { block_places, block_price, .. } = option.terms else { continue };
            for h in &c.held_from_start {
                for &k in &c.years {
                    let year = over.sets[0].years[k].year;
                    let since = option.contract.years_in(model.planning_year, year);
                    let each = block_price.0 * (1.0 + option.contract.uplift).powi(since) / block_places;
                    t.rows.push(vec![
                        text(option_name(all, option, names)),
                        text(h.blocks.to_string()),
                        text(year.to_string()),
                        number(f64::from(h.blocks) * block_places),
                        number(h.voids[k]),
                        number(each),
                        number(h.voids[k] * each),
                    ]);
                }
            }
        }
        self.add(Part::Table(t));
        let breaks: Vec<&ContractValue> = held.into_iter().filter(|c| !c.breaks.is_empty()).collect();
        if breaks.is_empty() {
            return;
        }
        let mut t = Draft::new(
            "commissioning-break-points",
            "Block contracts ended at a break point or kept to their term",
            "Savings are present values of the saving against spot purchase only over the years of the contract's \
             term that are planned (as in the table of whole-term values); ended, the contract's blocks are no \
             longer paid for after the break point and the children in them are bought at spot prices. What ending \
             saves is the saving ended less the saving kept to term: below zero, ending costs more. Notice must be \
             given by the year shown (the break year less the notice period).",
            vec![
                Column::new("Contract", Unit::Text),
                Column::new("Blocks held", Unit::Text),
                Column::new("Notice period", Unit::Years),
                Column::new("Ended after", Unit::Years),
                Column::new("Notice by", Unit::Text),
                Column::new("Saving if ended", Unit::Pounds),
                Column::new("Saving if kept to term", Unit::Pounds),
                Column::new("What ending saves", Unit::Pounds),
            ],
        );
        let mut shown = Vec::new();
        for c in breaks {
            let option = &all[c.option];
            for b in &c.breaks {
                // Each number of blocks once (those chosen in the first year are also held
                // from the start); none is a contract not taken up.
                let Some(blocks) = b.blocks.filter(|&n| n > 0) else { continue };
                if shown.contains(&(c.option, blocks, b.after)) {
                    continue;
                }
                shown.push((c.option, blocks, b.after));
                t.rows.push(vec![
                    text(option_name(all, option, names)),
                    text(blocks.to_string()),
                    number(f64::from(option.contract.notice_years)),
                    number(f64::from(b.after)),
                    text(b.notice_by.to_string()),
                    number(b.saving.0),
                    number(b.kept_to_term.0),
                    number((b.saving - b.kept_to_term).0),
                ]);
            }
        }
        if !t.rows.is_empty() {
            self.add(Part::Table(t));
        }
    }

    /// Each option's value over its whole term beside its saving in each year, the discount
    /// rate stated.
    fn whole_term_table(&mut self, over: &OverTheYears) {
        let model = self.model;
        let all = &model.purchasing;
        let names = model.annex.name_providers;
        let spot = &over.sets[0];
        let factors: Vec<String> =
            (0..spot.years.len()).map(|k| format!("{:.3}", model.appraisal.discount(k))).collect();
        let mut columns = vec![Column::new("Option", Unit::Text), Column::new("Blocks held", Unit::Text)];
        columns.extend(spot.years.iter().map(|y| Column::new(format!("Saving in {}", y.year), Unit::Pounds)));
        columns.push(Column::new("Present value of the saving", Unit::Pounds));
        let mut t = Draft::new(
            "commissioning-whole-term",
            "Commissioning options' value over their whole term",
            format!(
                "Each option alone with spot purchase, against spot purchase only, in each year it runs (blank where \
                 it does not), its blocks as chosen in its first year or held from its start. The present value is \
                 the sum of each year's saving × its discount factor, 1 ÷ ((1 + {:.1}%) × (1 + {:.1}%))^k in the k-th \
                 year after {} (the discount rate and inflation of the business case): {} by year.",
                100.0 * model.appraisal.discount_rate,
                100.0 * model.appraisal.inflation,
                self.first(),
                factors.join(", ")
            ),
            columns,
        );
        let saving = |k: usize, set: &crate::planning::commissioning::years::SetOverYears| {
            (spot.years[k].evaluation.spend() - set.years[k].evaluation.spend()).0
        };
        for c in &over.contracts {
            let option = &all[c.option];
            let alone = &over.sets[1 + c.option];
            // A block contract's blocks as chosen in its first year are among those held from
            // its start, unless none is chosen.
            let blocks = match c.blocks {
                Some(0) => Some(text("none chosen")),
                Some(n) if c.held_from_start.iter().any(|h| h.blocks == n) => None,
                Some(n) => Some(text(n.to_string())),
                None => Some(blank()),
            };
            if let Some(blocks) = blocks {
                let mut row = vec![text(option_name(all, option, names)), blocks];
                row.extend(
                    (0..spot.years.len())
                        .map(|k| if c.years.contains(&k) { number(saving(k, alone)) } else { blank() }),
                );
                row.push(number(c.saving.0));
                t.rows.push(row);
            }
            for h in &c.held_from_start {
                let mut row = vec![text(option_name(all, option, names)), text(h.blocks.to_string())];
                row.extend(
                    (0..spot.years.len()).map(|k| if c.years.contains(&k) { number(h.savings[k].0) } else { blank() }),
                );
                row.push(number(h.saving.0));
                t.rows.push(row);
            }
        }
        if over.sets.len() > 2 {
            let every = over.sets.last().expect("spot purchase only is always planned");
            let mut row = vec![text("Every option open"), blank()];
            row.extend((0..spot.years.len()).map(|k| number(saving(k, every))));
            row.push(number((spot.present_value(model) - every.present_value(model)).0));
            t.rows.push(row);
        }
        self.add(Part::Table(t));
    }
}
