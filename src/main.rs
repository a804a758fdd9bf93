//! The `shifan` binary: parse the command line, run a subcommand, map the outcome to an exit code.

mod cli;

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let args = cli::Cli::parse();
    match cli::run(args) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("shifan: {e}");
            ExitCode::from(2)
        }
    }
}
