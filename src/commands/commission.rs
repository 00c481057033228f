//! `commission`: the ways of buying independent places compared in one year (spot purchase,
//! each option, the best combination), break-even figures, and fee rises, lower acceptance and
//! other forecasts as sensitivities with the signed options held; for a multi-year model, each
//! option set over every year too, with whole-term values; and transport options appraised
//! against the plans.

use std::path::PathBuf;

use crate::model::SchoolYear;
use crate::optimise::run::Error;
use crate::optimise::solve::Solver;
use crate::outputs::files::{print, write_files};
use crate::outputs::progress::Progress;
use crate::outputs::report;
use crate::outputs::report::commissioning::transport;
use crate::planning::ready;

use super::shared::{check_penalty, read_model, solver_named, usage};

/// Options of `commission`.
#[derive(Debug, Clone, Default, clap::Args)]
pub struct CommissionOptions {
    /// The model file (with tables.purchasing_options).
    pub model: PathBuf,
    /// The year to evaluate, e.g. 2027/28 (default: the last year planned).
    #[arg(long, value_name = "YEAR")]
    pub year: Option<String>,
    /// Fee rises for the sensitivity table, as fractions, comma-separated.
    #[arg(long, value_name = "RISES", value_delimiter = ',', default_value = "0.1,0.25")]
    pub fee_rises: Vec<f64>,
    /// Lower acceptance for the sensitivity table: each framework's share of children its
    /// providers accept multiplied by these fractions, comma-separated.
    #[arg(long, value_name = "FRACTIONS", value_delimiter = ',', default_value = "0.5")]
    pub acceptance: Vec<f64>,
    /// Also write commissioning.csv, option_use.csv, break_even.csv and sensitivity.csv here
    /// (and, over the years, commissioning_years.csv, contracts.csv and break_points.csv; with
    /// transport options, transport_options.csv).
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
    /// Also run, on a model above the size at which they are left out by default, the stages
    /// that are mixed-integer programs rather than networks: lower framework acceptance in
    /// the sensitivity, the break-even acceptances and the options over the years (slow: at
    /// a region's size they may not finish).
    #[arg(long)]
    pub all_stages: bool,
    /// Solver to use (default: the best in this build).
    #[arg(long, value_name = "NAME", value_parser = solver_named)]
    pub solver: Option<Solver>,
    /// Stop the best combination's search once it is within this share of the best
    /// possible, e.g. 0.0005 for 0.05% (default 0: prove it best, unless the search of the
    /// master grows too long). The report says how close it is.
    #[arg(long, value_name = "SHARE", default_value_t = crate::planning::commissioning::DEFAULT_GAP)]
    pub gap: f64,
}

/// `commission`: compares ways of buying independent places in one year (spot purchase,
/// each option, the best combination), with fee rises and the other forecast variants of
/// `[appraisal]` as sensitivities.
///
/// # Errors
/// A bad option, the model's or a variant's problems, a model without purchasing options,
/// solver failure, or output that cannot be written.
pub fn commission(options: &CommissionOptions, progress: &Progress) -> Result<(), Error> {
    use crate::planning::commissioning;
    let solver = options.solver.unwrap_or_else(Solver::best);
    let path = &options.model;
    let model = read_model(path, Some(progress))?;
    check_penalty(&model)?;
    if model.purchasing.is_empty() {
        return Err(usage(
            "MODEL",
            format!("{} has no commissioning options: add tables.purchasing_options", model.sources[0]),
        ));
    }
    if let Some(r) = options.fee_rises.iter().find(|r| !(r.is_finite() && (-0.9..=10.0).contains(*r))) {
        return Err(usage("--fee-rises", format!("{r}: expected fractions such as 0.1 for 10%")));
    }
    if let Some(a) = options.acceptance.iter().find(|a| !(a.is_finite() && (0.0..=1.0).contains(*a))) {
        return Err(usage("--acceptance", format!("{a}: expected fractions from 0 to 1 such as 0.5 for half")));
    }
    if !(options.gap.is_finite() && (0.0..=0.1).contains(&options.gap)) {
        return Err(usage(
            "--gap",
            format!("{}: expected a share from 0 to 0.1 such as 0.0005 for 0.05%", options.gap),
        ));
    }
    let year = match &options.year {
        None => None,
        Some(text) => Some(
            SchoolYear::parse(text)
                .ok_or_else(|| usage("--year", format!("'{text}' is not a school year: expected e.g. 2027/28")))?,
        ),
    };
    let one = commissioning::year_model(&model, year).map_err(|m| usage("--year", m))?;
    progress.stage("comparing the options");
    let prepared = commissioning::Prepared::new(&one, solver)?;
    // "As given" is the comparison's own spot purchase and best combination.
    let mut cases = Vec::new();
    for r in &options.fee_rises {
        cases.push((
            format!("Independent fees {:+}%", (r * 100.0 * 10.0).round() / 10.0),
            commissioning::Case::FeesRaised(*r),
        ));
    }
    // Above a size, the stages that are mixed-integer programs are left out unless asked for.
    let mut scope = commissioning::Scope::new(&prepared, options.all_stages);
    let frameworks = one.purchasing.iter().any(|o| !o.is_block());
    if frameworks && !options.acceptance.is_empty() && !scope.leaves_out("Sensitivity: framework acceptance") {
        for a in &options.acceptance {
            cases.push((
                format!("Framework acceptance ×{a}"),
                commissioning::Case::Model(Box::new(commissioning::with_acceptance(&one, *a))),
            ));
        }
    }
    // Demand in the other forecast variants of [appraisal], the same year.
    if let Some(h) = &model.horizon {
        let others: Vec<&String> = model.appraisal.variants.iter().filter(|v| **v != h.variant).collect();
        let variants = ready::load_variants(path, &others).map_err(Error::Input)?;
        for (v, m) in others.into_iter().zip(variants) {
            let y = year.or(Some(one.planning_year));
            let m = commissioning::year_model(&m, y).map_err(|e| usage("--year", e))?;
            cases.push((format!("Demand: {v} forecast"), commissioning::Case::Model(Box::new(m))));
        }
    }
    let acceptance = !(frameworks && scope.leaves_out("Break-even acceptance"));
    // The sensitivity's cases choose their options afresh on a second thread while this one
    // compares the options and works out the break-even figures; each case then holds what
    // the best combination signed for, as given. The answers do not depend on the threads.
    let (comparison, break_evens, cases_done) = std::thread::scope(|s| {
        let (signed_tx, signed_rx) = std::sync::mpsc::channel();
        let side = s.spawn(|| {
            commissioning::sensitivity_once_signed(&one, &prepared, &cases, move || signed_rx.recv().ok(), solver)
        });
        let compared = commissioning::compare_on(&one, &prepared, solver, options.gap).and_then(|comparison| {
            // A send fails only if the side has stopped on an error, which its join gives.
            let _ = signed_tx.send(comparison.signed());
            progress.stage("break-even figures");
            let break_evens = commissioning::break_evens_on(&one, &prepared, &comparison, solver, acceptance)?;
            progress.stage("sensitivity");
            Ok((comparison, break_evens))
        });
        // On an error here the side is told there is nothing signed, and ends.
        drop(signed_tx);
        let side = side.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic));
        let (comparison, break_evens) = compared?;
        Ok::<_, Error>((comparison, break_evens, side?))
    })?;
    let mut sensitivity = vec![comparison.as_given()];
    sensitivity.extend(cases_done.unwrap_or_default());
    // Over every year of the horizon, unless one year is asked for.
    let over = match model.years_ahead() {
        Some(_) if year.is_none() && scope.leaves_out("The options over the years") => None,
        Some(ahead) if year.is_none() => {
            progress.stage("the options over the years");
            Some(commissioning::years::over_the_years(ahead, solver)?)
        }
        _ => None,
    };
    progress.finish();
    // Transport options against the best combination's plan of the year compared and, over
    // the years, the plan of each year with every option open.
    let best = comparison.evaluations.last().unwrap_or(&comparison.evaluations[0]);
    let appraised = crate::planning::transport_options::appraise(&one, &best.plan);
    let compared = transport::AppraisedYear { set: &best.label, year: comparison.year.clone(), appraisals: &appraised };
    let by_year = over.as_ref().and_then(transport::every_option_open).map(transport::years_of).unwrap_or_default();
    if let Some(dir) = &options.out {
        let mut files = report::commissioning::csv_files(&one, &comparison, &break_evens, &sensitivity);
        if let Some(over) = &over {
            files.extend(report::commissioning::years::csv_files(&model, over));
        }
        files.extend(transport::csv_files(&model, &compared, &by_year));
        files.extend(report::commissioning::left_out_csv(&scope.left_out));
        let files: Vec<(PathBuf, String)> = files.into_iter().map(|(name, text)| (dir.join(name), text)).collect();
        write_files(&files)?;
    }
    let mut text = report::commissioning::text(&one, &comparison, &break_evens, &sensitivity);
    if let Some(over) = &over {
        text.push_str(&report::commissioning::years::text(&model, over));
    }
    text.push_str(&transport::text(&model, &compared, &by_year));
    text.push_str(&report::commissioning::left_out_text(&scope.left_out));
    print(&text)
}
