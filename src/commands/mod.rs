//! One file per subcommand: each takes its [`crate::config`] settings, calls the stages
//! (corpus, entities, index, search) and hands the results to [`crate::present`].
//!
//! May import everything below it; nothing below imports it.

mod compare;
mod entities;
mod index;
mod mentions;
mod ner;
mod push;
mod search;
mod serve;
mod stats;
mod versions;
pub mod watch;

use std::process::ExitCode;

use anyhow::Context;

use crate::config::{Command, Config, IndexConfig};
use crate::entities::{NoEntities, Recognizer, ShippedRecognizer};
use crate::present::{self, Printer};

/// Runs one invocation; the exit code follows grep: 0 found, 1 nothing found, 2 error.
pub fn run(config: Config) -> anyhow::Result<ExitCode> {
    match &config.command {
        Command::Index(c) => index::run(&config, c),
        Command::Watch(c, debounce) => watch::run(&config, c, *debounce),
        Command::Search(c) => search::run(&config, c),
        Command::Mentions(c) => mentions::run(&config, c),
        Command::Entities(c) => entities::run(&config, c),
        Command::Stats { json } => stats::run(&config, *json),
        Command::Serve(c) => serve::run(&config, c),
        Command::Ner(c) => ner::ner(c),
        Command::TrainNer(c) => ner::train(config.quiet, c),
        Command::Push(c) => push::run(&config, c),
        Command::Compare(c) => compare::run(&config, c),
        Command::Versions(c) => versions::run(&config, c),
    }
}

/// The recogniser an index run uses: the shipped model, or none with `--no-entities`.
fn recognizer(c: &IndexConfig) -> Box<dyn Recognizer> {
    if c.entities {
        Box::new(ShippedRecognizer)
    } else {
        Box::new(NoEntities)
    }
}

fn update_options(c: &IndexConfig) -> crate::index::UpdateOptions<'_> {
    crate::index::UpdateOptions {
        corpus: &c.corpus,
        verify: c.verify,
        rebuild: c.rebuild,
        heap_bytes: c.heap_bytes,
        threads: c.threads,
    }
}

fn print_hits(config: &Config, json: bool, hits: &[crate::search::Hit]) -> anyhow::Result<()> {
    let stdout = std::io::stdout().lock();
    let mut printer = Printer::new(
        std::io::BufWriter::new(stdout),
        json,
        present::use_color(config.color),
    );
    for hit in hits {
        printer.hit(hit).context("writing results")?;
    }
    printer.flush().context("writing results")?;
    Ok(())
}

fn found(any: bool) -> ExitCode {
    if any {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    }
}
