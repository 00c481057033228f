//! Tests of the command line: options parsed into the library's types.

use super::*;
use crate::optimise::solve::Solver;
use clap::{FromArgMatches, Subcommand};

/// `args` parsed as the program parses them (after its name).
fn parsed(args: &[&str]) -> Result<Command, clap::Error> {
    let program = Command::augment_subcommands(clap::Command::new("sufficiency"));
    let mut matches = program.try_get_matches_from(std::iter::once("sufficiency").chain(args.iter().copied()))?;
    Command::from_arg_matches_mut(&mut matches)
}

#[test]
fn a_solver_is_read_by_name_in_any_case() {
    let Ok(Command::Solve(o)) = parsed(&["solve", "m.toml", "--solver", "MicroLP"]) else { panic!("solve") };
    assert_eq!(o.solver, Some(Solver::Microlp));
    let Ok(Command::Compare(o)) = parsed(&["compare", "a.toml", "b.toml"]) else { panic!("compare") };
    assert_eq!(o.solver, None, "none named: the best of the build, chosen when run");
}

#[test]
fn a_bad_solver_name_is_refused_as_any_bad_value_with_the_solvers_of_the_build() {
    use clap::error::{ContextKind, ContextValue, ErrorKind};
    for command in [&["solve", "m.toml"][..], &["schemes", "m.toml"], &["bench", "--one", "borough"]] {
        let args: Vec<&str> = command.iter().copied().chain(["--solver", "nope"]).collect();
        let Err(refused) = parsed(&args) else { panic!("{args:?} accepted") };
        assert_eq!(refused.kind(), ErrorKind::ValueValidation, "{refused}");
        assert_eq!(refused.exit_code(), 2);
        let Some(ContextValue::String(flag)) = refused.get(ContextKind::InvalidArg) else { panic!("{refused}") };
        assert!(flag.starts_with("--solver"), "{flag}");
        let why = std::error::Error::source(&refused).expect("the reason").to_string();
        assert_eq!(why, format!("unknown solver 'nope': this build has {SOLVERS}"));
    }
}

/// The solvers of this build, the default first.
#[cfg(not(feature = "highs"))]
const SOLVERS: &str = "network, microlp";
#[cfg(feature = "highs")]
const SOLVERS: &str = "network, highs, microlp";

#[test]
fn options_are_read_into_the_library_types() {
    let Ok(Command::Schemes(o)) =
        parsed(&["schemes", "m.toml", "--budget", "12m", "--robust", "regret", "--curve-budgets", "1m,2m"])
    else {
        panic!("schemes")
    };
    assert_eq!(o.budget, Some(12e6));
    assert_eq!(o.robust, Some(crate::planning::schemes::Robust::Regret));
    assert_eq!(o.curve_budgets, vec![1e6, 2e6]);
    let Ok(Command::Solve(o)) = parsed(&["solve", "m.toml", "--objective", "lexicographic", "--format", "geojson"])
    else {
        panic!("solve")
    };
    assert_eq!(o.objective, Some(crate::model::ObjectiveMode::Lexicographic));
    assert_eq!(o.format, Format::Geojson);
    let Ok(Command::Bench(o)) = parsed(&["bench", "--time-limit", "30"]) else { panic!("bench") };
    assert_eq!(o.time_limit, std::time::Duration::from_secs(30));
    assert_eq!(o.sizes, vec!["borough", "region", "england"]);
    let Ok(Command::Generate(o)) = parsed(&["generate", "--localities", "5", "--settings", "9", "--out", "x"]) else {
        panic!("generate")
    };
    assert_eq!(o.spec, crate::tools::generate::Spec { localities: 5, settings: 9, years: 1, seed: 1 });
    let Ok(Command::Commission(o)) = parsed(&["commission", "m.toml"]) else { panic!("commission") };
    assert_eq!(o.fee_rises, vec![0.1, 0.25]);
}
