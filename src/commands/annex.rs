//! `annex`: the sufficiency statement annex (HTML page, workbook, Markdown and the tables as
//! CSV), with small counts withheld.

use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};

use crate::model::Money;
use crate::optimise::run::Error;
use crate::optimise::solve::Solver;
use crate::outputs::files::{print, today, write_files_replacing};
use crate::outputs::progress::Progress;
use crate::planning::ready;

use super::shared::{parse_money, plan_any, read_model, solver_named, usage};

/// Options of `annex`.
#[derive(Debug, Clone, Default, clap::Args)]
pub struct AnnexOptions {
    /// The model file (TOML).
    pub model: PathBuf,
    /// Folder to write annex.html, annex.xlsx, annex.md and tables/*.csv into.
    #[arg(long, value_name = "DIR")]
    pub out: PathBuf,
    /// Show every count, every need and phase on its own: turns disclosure control off,
    /// for internal use only (the output says so on every page and sheet).
    #[arg(long)]
    pub no_suppression: bool,
    /// Capital budget for the schemes shown, £ (default: [annex] capital_budget, else
    /// no limit).
    #[arg(long, value_name = "AMOUNT", value_parser = parse_money)]
    pub budget: Option<f64>,
    /// Futures the risk section runs the chosen schemes in (default: [annex] risk_draws,
    /// else 200 when the model has [risk], else none); 0 leaves the section out.
    #[arg(long, value_name = "N")]
    pub draws: Option<u32>,
    /// Seed of those futures (default: [annex] risk_seed, else 7).
    #[arg(long, value_name = "S")]
    pub seed: Option<u64>,
    /// Also work out, on a model above the size at which `commission` leaves them out by
    /// default, the commissioning figures that are mixed-integer programs rather than
    /// networks: the break-even acceptances and the options over the years (slow: at a
    /// region's size they may not finish).
    #[arg(long)]
    pub all_stages: bool,
    /// Solver to use (default: the best in this build).
    #[arg(long, value_name = "NAME", value_parser = solver_named)]
    pub solver: Option<Solver>,
}

/// `annex`: writes the sufficiency statement annex (annex.html, annex.xlsx, annex.md and
/// tables/*.csv), with small counts withheld unless `no_suppression`, and prints what it
/// wrote.
///
/// # Errors
/// A bad option, the model's problems, solver failure, a failed check, or output that
/// cannot be written.
pub fn annex(options: &AnnexOptions, progress: &Progress) -> Result<(), Error> {
    // Names from input files may carry control characters: none reaches the page.
    let clean = |text: String| crate::outputs::files::without_control_characters(&text).into_owned().into_bytes();
    use crate::outputs::annex::{self, Annex, Inputs, SchemesPart};
    use crate::planning::schemes::{self, Appraiser, Choice};
    let solver = options.solver.unwrap_or_else(Solver::best);
    let (path, out) = (&options.model, &options.out);
    progress.stage("reading the model");
    let model = read_model(path, Some(progress))?;
    // Each year's plan applies the penalty rule before anything else is solved.
    let years = plan_any(&model, solver, progress, "planning each year")?;
    let budget = options.budget.map(Money).or(model.annex.capital_budget);
    let appraised = if model.schemes.is_empty() {
        None
    } else {
        progress.stage("choosing capital schemes");
        let appraiser = Appraiser::build(std::slice::from_ref(&model));
        let choice = Choice { budget, with: Vec::new(), without: Vec::new(), fixed: None };
        let names = vec![model.horizon.as_ref().map_or_else(|| "as given".to_string(), |h| h.variant.clone())];
        Some(schemes::appraise(&appraiser, &choice, None, names, solver)?)
    };
    // The chosen schemes over drawn futures, with `[risk]` (or when asked).
    let draws = options.draws.map_or(model.annex.risk_draws, |n| n as usize);
    let seed = options.seed.unwrap_or(model.annex.risk_seed);
    let futures = match &appraised {
        Some(a) if draws > 0 => {
            progress.stage("the chosen schemes in many futures");
            let ended = AtomicUsize::new(0);
            let done = || progress.step("the futures drawn", ended.fetch_add(1, Ordering::Relaxed) + 1, draws);
            Some(crate::planning::risk::futures(path, &model, &a.chosen.portfolio, draws, seed, solver, &done)?)
        }
        _ => None,
    };
    // Commissioning options compared in the last year planned, with break-even figures, and
    // over every year of a multi-year model.
    let commissioning = if model.purchasing.is_empty() {
        None
    } else {
        use crate::planning::commissioning;
        progress.stage("comparing commissioning options");
        let one = commissioning::year_model(&model, None).map_err(|m| usage("MODEL", m))?;
        let prepared = commissioning::Prepared::new(&one, solver)?;
        let comparison = commissioning::compare_on(&one, &prepared, solver, 0.0)?;
        // Above a size, what is a mixed-integer program rather than a network is left out
        // unless asked for, as `commission` does, and the section says so.
        let mut scope = commissioning::Scope::new(&prepared, options.all_stages);
        let frameworks = one.purchasing.iter().any(|o| !o.is_block());
        let acceptance = !(frameworks && scope.leaves_out("Break-even acceptance"));
        let break_evens = commissioning::break_evens_on(&one, &prepared, &comparison, solver, acceptance)?;
        let over = match model.years_ahead() {
            Some(_) if scope.leaves_out("The options over the years") => None,
            Some(ahead) => {
                progress.stage("commissioning options over the years");
                Some(commissioning::years::over_the_years(ahead, solver)?)
            }
            None => None,
        };
        Some((comparison, break_evens, over, scope.left_out))
    };
    let mut command = format!("sufficiency annex {} --out {}", path.display(), out.display());
    if options.no_suppression {
        command.push_str(" --no-suppression");
    }
    if let Some(b) = options.budget {
        command.push_str(&format!(" --budget {b}"));
    }
    if let Some(n) = options.draws {
        command.push_str(&format!(" --draws {n}"));
    }
    if let Some(s) = options.seed {
        command.push_str(&format!(" --seed {s}"));
    }
    // The forecast variants the model names, for the band of forecasts (each as `forecast`
    // would give it).
    let mut bands = Vec::new();
    if let Some(h) = &model.horizon {
        for variant in &model.appraisal.variants {
            let m = if *variant == h.variant {
                model.clone()
            } else {
                ready::load_variant(path, Some(variant)).map_err(Error::Input)?
            };
            let Some(ahead) = m.years_ahead() else { continue };
            let horizon = ahead.horizon();
            let by_need = crate::planning::forecast::project(ahead)
                .iter()
                .map(|grid| {
                    let mut need = vec![0.0; m.needs.len()];
                    for (_, n, year_group, _, children) in grid.cells() {
                        if horizon.phase_of(year_group).is_some() {
                            need[n.0] += children;
                        }
                    }
                    need
                })
                .collect();
            bands.push(annex::Band { variant: variant.clone(), by_need });
        }
    }
    let inputs = Inputs {
        model: &model,
        years: &years,
        schemes: appraised.as_ref().map(|appraised| SchemesPart { appraised, budget }),
        commissioning: commissioning.as_ref().map(|(comparison, break_evens, over, left_out)| {
            annex::CommissioningPart { comparison, break_evens, over: over.as_ref(), left_out }
        }),
        threshold: if options.no_suppression { None } else { Some(model.annex.suppression_threshold) },
        produced: today(),
        command,
        bands,
        risk: futures.as_ref().map(|(summary, cases)| annex::RiskPart { summary, cases }),
    };
    progress.stage("tables and disclosure control");
    let annex = Annex::build(&inputs);
    progress.stage("writing");
    let xlsx = annex::xlsx::workbook(&annex)
        .map_err(|e| Error::Output { path: out.join("annex.xlsx"), source: std::io::Error::other(e) })?;
    let mut files: Vec<(PathBuf, Vec<u8>)> = vec![
        (out.join("annex.html"), clean(annex::html::page(&annex))),
        (out.join("annex.xlsx"), xlsx),
        (out.join("annex.md"), clean(annex::markdown::document(&annex))),
    ];
    for (name, text) in annex.csv_files() {
        files.push((out.join("tables").join(name), text.into_bytes()));
    }
    // The tables folder holds only this run's tables: a table an earlier run wrote and this
    // one does not (say, one written without disclosure control) is removed in the same
    // write, all or none.
    write_files_replacing(&files, &out.join("tables"), "csv")?;
    progress.finish();
    let mut text = format!("{}\n{}\n", annex.title, annex.subtitle());
    text.push_str(&format!("{}\n", annex.disclosure.statement()));
    text.push_str(&format!(
        "Wrote {} ({} tables, {} figures), annex.xlsx, annex.md and tables/*.csv to {}\n",
        "annex.html",
        annex.tables().count(),
        annex.figures().count(),
        out.display()
    ));
    print(&text)
}
