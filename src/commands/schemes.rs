//! `schemes`: the capital schemes that cost least over the years planned, within a budget,
//! each appraised, and the best portfolio traced against budget.

use std::path::PathBuf;

use crate::model::Money;
use crate::optimise::run::Error;
use crate::optimise::solve::Solver;
use crate::outputs::files::{print, write_files};
use crate::outputs::progress::Progress;
use crate::outputs::report;
use crate::planning::ready;
use crate::planning::schemes::{Criterion, OnDrawsRule, Robust};

use super::shared::{check_penalty, file_option, parse_money, read_model, solver_named, usage};

/// Options of `schemes`.
#[derive(Debug, Clone, Default, clap::Args)]
pub struct SchemesOptions {
    /// The model file (TOML) with tables.schemes and tables.scheme_places.
    pub model: PathBuf,
    /// Most capital to spend, £ (e.g. 12000000, 12m, 500k). Default: no limit.
    #[arg(long, value_name = "AMOUNT", value_parser = parse_money)]
    pub budget: Option<f64>,
    /// Force a scheme in (repeat for more).
    #[arg(long = "with", value_name = "ID")]
    pub with: Vec<String>,
    /// Leave a scheme out (repeat for more).
    #[arg(long = "without", value_name = "ID")]
    pub without: Vec<String>,
    /// Also show the best portfolio at a range of budgets.
    #[arg(long)]
    pub curve: bool,
    /// Budgets for the curve, £, comma-separated (default: round steps up to every scheme).
    #[arg(long, value_name = "AMOUNTS", value_delimiter = ',', value_parser = parse_money)]
    pub curve_budgets: Vec<f64>,
    /// Choose one portfolio across the forecast variants of [appraisal] variants.
    #[arg(long, value_enum)]
    pub robust: Option<Robust>,
    /// Also run the chosen portfolio's business case in this many futures drawn as [risk]
    /// spreads them (e.g. 1000): percentiles of the saving and the chance of paying back.
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(1..=100_000))]
    pub draws: Option<u32>,
    /// The seed the futures are drawn with (default 1): the same seed, the same figures.
    #[arg(long, value_name = "SEED", requires = "draws")]
    pub seed: Option<u64>,
    /// With --draws: also choose the portfolio on the first K of the futures drawn (by
    /// --criterion), and show it beside the portfolio chosen for the central forecast, both
    /// over all the futures.
    #[arg(long, value_name = "K", requires = "draws", value_parser = clap::value_parser!(u32).range(1..=100_000))]
    pub choose_on_draws: Option<u32>,
    /// What the choice on the draws makes least: the mean discounted cost (default), or the
    /// CVaR, the mean discounted cost of the worst share of the futures (--cvar-share).
    #[arg(long, value_enum, requires = "choose_on_draws")]
    pub criterion: Option<Criterion>,
    /// The share of the futures counted as the worst, above 0 and at most 1 (default 0.1: the
    /// worst 10%), for the CVaR and the mean present value of the worst futures.
    #[arg(long, value_name = "SHARE", requires = "choose_on_draws", value_parser = parse_share)]
    pub cvar_share: Option<f64>,
    /// The most rounds of cuts in the choice on the draws (default 30): there it stops with
    /// the best portfolio found and how far it may be from the best possible.
    #[arg(long, value_name = "N", requires = "choose_on_draws", value_parser = clap::value_parser!(u32).range(1..=100_000))]
    pub choice_rounds: Option<u32>,
    /// Stop choosing once the best portfolio found is proven within this percentage of the
    /// best possible (default 0.01, a hundredth of a percent of the plan's present value; 0:
    /// go on until it is proven the best). The report says which: "proven best" or "within
    /// £X (Y%) of the best possible".
    #[arg(long, value_name = "PERCENT", value_parser = parse_percent)]
    pub gap: Option<f64>,
    /// Also write schemes.csv, portfolios.csv (and budget_curve.csv, variants.csv, with --draws risk.csv,
    /// with --choose-on-draws risk_choice.csv; with [high_needs], high_needs.csv and high_needs.json) here.
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
    /// Solver to use (default: the best in this build).
    #[arg(long, value_name = "NAME", value_parser = solver_named)]
    pub solver: Option<Solver>,
    /// Write the mixed-integer program, in CPLEX LP format.
    #[arg(long, value_name = "FILE")]
    pub write_lp: Option<PathBuf>,
}

/// `schemes`: chooses the capital schemes that cost least over the years planned, within
/// the budget, appraises each, and optionally traces the best portfolio against budget.
///
/// # Errors
/// A bad option (an unknown scheme, an impossible choice), the model's or a variant's
/// problems, solver failure, or output that cannot be written.
pub fn schemes(options: &SchemesOptions, progress: &Progress) -> Result<(), Error> {
    use crate::planning::schemes::{self, Appraiser, Choice};
    let solver = options.solver.unwrap_or_else(Solver::best);
    let path = &options.model;
    progress.stage("reading the model");
    let model = read_model(path, Some(progress))?;
    file_option("--write-lp", options.write_lp.as_deref(), options.out.as_deref())?;
    check_penalty(&model)?;
    if model.schemes.is_empty() {
        return Err(usage(
            "MODEL",
            format!("{} has no candidate schemes: add tables.schemes and tables.scheme_places", model.sources[0]),
        ));
    }
    let ids = |flag: &str, list: &[String]| -> Result<Vec<usize>, Error> {
        list.iter()
            .map(|id| {
                model.schemes.iter().position(|s| s.id == *id).ok_or_else(|| {
                    let known: Vec<&str> = model.schemes.iter().map(|s| s.id.as_str()).collect();
                    usage(flag, format!("'{id}' is not a scheme: expected one of {}", known.join(", ")))
                })
            })
            .collect()
    };
    let choice = Choice {
        budget: options.budget.map(Money),
        with: ids("--with", &options.with)?,
        without: ids("--without", &options.without)?,
        fixed: None,
    };
    let rule = OnDrawsRule {
        criterion: options.criterion.unwrap_or_default(),
        share: options.cvar_share.unwrap_or(DEFAULT_SHARE),
        rounds: options.choice_rounds.map_or(DEFAULT_ROUNDS, |r| r as usize),
    };
    if let (Some(n), Some(k)) = (options.draws, options.choose_on_draws)
        && k > n
    {
        return Err(usage(
            "--choose-on-draws",
            format!("{k} futures to choose on, more than the {n} drawn: expected at most --draws (the first of them)"),
        ));
    }
    if let Some(why) = choice.impossible(&model) {
        return Err(usage("--with", format!("no portfolio is possible: {why}")));
    }
    // The futures: the model's own forecast variant, then the others listed in [appraisal].
    let mut models = vec![model.clone()];
    let mut names = vec![model.horizon.as_ref().map_or_else(|| "as given".to_string(), |h| h.variant.clone())];
    if options.robust.is_some() {
        if model.appraisal.variants.is_empty() || model.horizon.is_none() {
            return Err(usage(
                "--robust",
                format!(
                    "{} lists no forecast variants: add `variants = [\"low\", \"central\", \"high\"]` under [appraisal] (needs a [horizon])",
                    model.sources[0]
                ),
            ));
        }
        for v in &model.appraisal.variants {
            if !names.contains(v) {
                names.push(v.clone());
            }
        }
        models.extend(ready::load_variants(path, &names[1..]).map_err(Error::Input)?);
    }
    progress.stage("building the schemes program");
    let appraiser = Appraiser::build(&models).with_gap(options.gap.unwrap_or(DEFAULT_GAP_PERCENT) / 100.0);
    progress.stage("choosing and appraising the schemes");
    let appraised = schemes::appraise(&appraiser, &choice, options.robust, names, solver)?;
    let points = if options.curve || !options.curve_budgets.is_empty() {
        let budgets: Vec<Money> = if options.curve_budgets.is_empty() {
            schemes::curve_budgets(&model, 8)
        } else {
            options.curve_budgets.iter().copied().map(Money).collect()
        };
        let possible: Vec<Money> = budgets
            .into_iter()
            .filter(|b| Choice { budget: Some(*b), ..choice.clone() }.impossible(&model).is_none())
            .collect();
        let mut curve = Vec::with_capacity(possible.len());
        for (k, budget) in possible.iter().enumerate() {
            progress.step("the budget curve", k, possible.len());
            let open = Choice { budget: None, ..choice.clone() };
            curve.extend(schemes::budget_curve(&appraiser, &open, std::slice::from_ref(budget), solver)?);
        }
        Some(curve)
    } else {
        None
    };
    let risk_choice = match (options.draws, options.choose_on_draws) {
        (Some(n), Some(k)) => Some(super::risk::choice_on_draws(
            path,
            &model,
            &choice,
            &appraised.chosen.portfolio,
            (n, k, options.seed),
            rule,
            solver,
            progress,
        )?),
        _ => None,
    };
    let risk = match (options.draws, &risk_choice) {
        (Some(_), Some(rc)) => Some(rc.central.summary.clone()),
        (Some(n), None) => Some(super::risk::over_futures(
            path,
            &model,
            &appraised.chosen.portfolio,
            n,
            options.seed,
            solver,
            progress,
        )?),
        (None, _) => None,
    };
    let mut files = Vec::new();
    if let Some(lp) = &options.write_lp {
        let (cols, rows, ints) = appraiser.size();
        let header = vec![
            format!("{}: capital schemes program written by sufficiency {}", model.name, env!("CARGO_PKG_VERSION")),
            format!(
                "{cols} columns ({ints} whole-number), {rows} rows; build*/modules*: schemes; other columns as in `solve --write-lp`, suffixed _v<variant>y<year>"
            ),
        ];
        files.push((lp.clone(), appraiser.lp_text(&choice, &header)));
    }
    if let Some(dir) = &options.out {
        for (name, text) in report::schemes::csv_files(&model, &appraised, points.as_deref()) {
            files.push((dir.join(name), text));
        }
        files.extend(risk.iter().flat_map(report::risk::csv_files).map(|(name, text)| (dir.join(name), text)));
        files.extend(risk_choice.iter().map(|rc| (dir.join("risk_choice.csv"), report::risk::choice_csv(&model, rc))));
    }
    write_files(&files)?;
    progress.finish();
    let mut risk = risk.map(|r| report::risk::text(&model, &r)).unwrap_or_default();
    if let Some(rc) = &risk_choice {
        risk.push_str(&report::risk::choice_text(&model, rc, options.robust.is_some()));
    }
    print(&(report::schemes::text(&model, &appraised, points.as_deref()) + &risk))
}

/// The share of the futures counted as the worst by default: the worst 10%.
const DEFAULT_SHARE: f64 = 0.1;
/// The most rounds of cuts in a choice on the draws by default.
const DEFAULT_ROUNDS: usize = 30;

/// A share above 0 and at most 1 (`--cvar-share`).
/// `--gap`'s default, %: a hundredth of a percent of the plan's present value (£0.87m of a
/// region's £8.7bn, £10,000 of a £100m borough plan), far below what the forecasts of need
/// can tell apart.
const DEFAULT_GAP_PERCENT: f64 = 0.01;

/// A percentage from 0 to 100, with or without a `%`.
fn parse_percent(text: &str) -> Result<f64, String> {
    match text.trim().trim_end_matches('%').trim().parse::<f64>() {
        Ok(v) if (0.0..=100.0).contains(&v) => Ok(v),
        _ => Err(format!("'{text}' is not a percentage: expected a number from 0 to 100, such as 0.01 for 0.01%")),
    }
}

fn parse_share(text: &str) -> Result<f64, String> {
    match text.trim().parse::<f64>() {
        Ok(v) if v > 0.0 && v <= 1.0 => Ok(v),
        _ => Err(format!(
            "'{text}' is not a share: expected a number above 0 and at most 1, such as 0.1 for the worst 10%"
        )),
    }
}
