//! `newsdex index`: build or update the index from the corpus, then report the run.

use std::io::Write;
use std::process::ExitCode;

use super::{recognizer, update_options};
use crate::config::{Config, IndexConfig};
use crate::index;
use crate::output::Reporter;

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
        let mut out = std::io::stdout().lock();
        serde_json::to_writer(&mut out, &summary)?;
        writeln!(out)?;
    }
    reporter.info(&format!(
        "indexed {} into {}: {} added, {} changed, {} removed, {} unchanged, {} empty, {} failed; \
         {} passages from {} articles ({} in the index); {} warnings; {:.2} s",
        c.corpus.display(),
        config.index.display(),
        summary.added,
        summary.changed,
        summary.removed,
        summary.unchanged,
        summary.empty,
        summary.failed,
        summary.passages,
        summary.articles,
        summary.total_passages,
        summary.warnings,
        summary.seconds,
    ));
    Ok(if summary.failed > 0 {
        ExitCode::from(2)
    } else {
        ExitCode::SUCCESS
    })
}
