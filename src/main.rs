//! The `sufficiency` command: the command line parsed into [`sufficiency::commands::Command`],
//! run, and its exit code.

use std::process::ExitCode;

use clap::Parser;

use sufficiency::commands::{self, Command};
use sufficiency::outputs::progress::Progress;

/// `--version`: the version and the solvers this build has, as `sufficiency solvers` lists
/// them (the default first).
#[cfg(not(feature = "highs"))]
const VERSION: &str = concat!(env!("CARGO_PKG_VERSION"), " (solvers: network, microlp)");
#[cfg(feature = "highs")]
const VERSION: &str = concat!(env!("CARGO_PKG_VERSION"), " (solvers: network, highs, microlp)");

/// Plan specialist school places for children with EHC plans: least-cost, close to home,
/// with shortfalls reported as unmet need.
#[derive(Parser)]
#[command(name = "sufficiency", version = VERSION, about, long_about = None)]
struct Cli {
    /// Show no progress on standard error (it is shown only on a terminal anyway).
    #[arg(long, global = true)]
    quiet: bool,
    #[command(subcommand)]
    command: Option<Command>,
}

fn main() -> ExitCode {
    // A command line clap cannot read, or a value no option takes: clap's message, exit 2.
    let cli = Cli::parse();
    let Some(command) = cli.command else {
        let mut cmd = <Cli as clap::CommandFactory>::command();
        let _ = cmd.print_help();
        return ExitCode::SUCCESS;
    };
    let progress = Progress::new(cli.quiet);
    // The library's loops (pricing rounds, rounds of cuts, ...) are counted on the line.
    let result = progress.watch(|| command.run(&progress));
    // The progress line is cleared before any error is printed.
    drop(progress);
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => ExitCode::from(commands::tell_error(&e)),
    }
}
