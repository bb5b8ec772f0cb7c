//! `newsdex stats`: where the index's bytes go, beside the size of its corpus.

use std::io::Write;
use std::process::ExitCode;

use anyhow::Context;

use crate::config::Config;
use crate::index;

/// Runs `newsdex stats`.
pub fn run(config: &Config, json: bool) -> anyhow::Result<ExitCode> {
    let human = |bytes: u64| indicatif::DecimalBytes(bytes).to_string();
    let idx = index::open(&config.index)?;
    let s = index::stats(&idx)?;
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    if json {
        serde_json::to_writer(&mut out, &s)?;
        writeln!(out)?;
    } else {
        let ratio = if s.corpus_bytes > 0 {
            format!(
                " = {:.2}x the corpus",
                s.index_bytes as f64 / s.corpus_bytes as f64
            )
        } else {
            String::new()
        };
        writeln!(
            out,
            "{} passages from {} files in {} segments",
            s.passages, s.files, s.segments
        )?;
        writeln!(
            out,
            "index {} for a corpus of {}{ratio}",
            human(s.index_bytes),
            human(s.corpus_bytes)
        )?;
        writeln!(out, "stored passages {}", human(s.stored))?;
        if s.deletes > 0 {
            writeln!(out, "deleted-passage lists {}", human(s.deletes))?;
        }
        // a field's name, then its six byte counts in columns
        let row = |name: &str, cells: [String; 6]| {
            format!("{name:<14}{}", cells.map(|c| format!("{c:>10}")).concat())
        };
        let header = ["terms", "postings", "positions", "fast", "norms", "total"];
        writeln!(out, "\n{}", row("field", header.map(String::from)))?;
        for f in &s.fields {
            let bytes = [f.terms, f.postings, f.positions, f.fast, f.norms, f.total()];
            writeln!(out, "{}", row(&f.field, bytes.map(human)))?;
        }
    }
    out.flush().context("writing results")?;
    Ok(ExitCode::SUCCESS)
}
