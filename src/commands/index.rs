//! `newsdex index`: build or update the index from the corpus, then report the run.
//!
//! May import: every room below it; nothing imports it but `lib.rs`.

use std::process::ExitCode;

use super::{recognizer, update_options};
use crate::config::{Config, IndexConfig};
use crate::index;
use crate::present::{json, messages, Reporter};

/// Runs `newsdex index`.
pub fn run(config: &Config, c: &IndexConfig) -> anyhow::Result<ExitCode> {
    let reporter = Reporter::new(config.quiet);
    let idx = index::open_or_create(&config.index, c.rebuild)?;
    let opts = update_options(c);
    let recognizer = recognizer(c);
    let summary = index::update(&idx, recognizer.as_ref(), &opts, &reporter);
    reporter.finish();
    let summary = summary?;
    if c.json {
        json::line(&mut std::io::stdout().lock(), &summary)?;
    }
    reporter.info(&messages::index_summary(&c.corpus, &config.index, &summary));
    Ok(if summary.failed > 0 {
        ExitCode::from(2)
    } else {
        ExitCode::SUCCESS
    })
}
