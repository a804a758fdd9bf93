//! The `shifan` binary: parse the command line, run a subcommand, map the outcome to an exit code.

mod cli;

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    // Like other command-line tools, end quietly when the reader of the output goes away
    // (`shifan rank | head`), instead of failing on a broken pipe.
    #[cfg(unix)]
    // SAFETY: called first thing, before any other thread exists; restores the default action.
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_DFL);
    }
    // clap's own messages quote what was typed (an invalid value): through the sanitiser too.
    let args = match cli::Cli::try_parse() {
        Ok(args) => args,
        Err(e) => {
            let text = e.render().to_string();
            if e.use_stderr() {
                cli::out::stderr(format_args!("{text}"), false);
            } else {
                cli::out::stdout(format_args!("{text}"), false);
            }
            return ExitCode::from(u8::try_from(e.exit_code()).unwrap_or(2));
        }
    };
    match cli::run(args) {
        Ok(code) => code,
        Err(e) => {
            cli::out::stderr(format_args!("shifan: {e}"), true);
            ExitCode::from(2)
        }
    }
}
