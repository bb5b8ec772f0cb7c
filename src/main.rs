//! The `newsdex` binary: parse the command line, run, map errors to exit code 2.
//!
//! May import: the library's `cli`, `run` and `present::messages`; and the allocator.

use std::process::ExitCode;

use clap::Parser;

/// mimalloc instead of the system allocator: a build with entities takes about a quarter
/// less time, and a search request about 4% less CPU (BENCHMARKS.md).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let cli = newsdex::cli::Cli::parse();
    match newsdex::run(cli.into_config()) {
        Ok(code) => code,
        Err(err) if is_broken_pipe(&err) => ExitCode::SUCCESS,
        Err(err) => {
            newsdex::present::messages::error(&err);
            ExitCode::from(2)
        }
    }
}

fn is_broken_pipe(err: &anyhow::Error) -> bool {
    err.chain().any(|cause| {
        cause
            .downcast_ref::<std::io::Error>()
            .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
    })
}
